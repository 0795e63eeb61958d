/**
 * The control plane: the UI and the API.
 * - On loopback (the default), every /api request carries the per-launch token, or a named
 *   token (Authorization: Bearer, or ?token= for EventSource, which cannot set headers); the
 *   Host header must name this listener (DNS-rebinding defence).
 * - Beyond loopback (a team server), only named tokens are accepted, each with its role, and
 *   only over TLS or behind a proxy that terminates it (the caller, serve, insists on one).
 * - An Origin, when a browser sends one, must be this listener's own.
 * - Every change and every refused token is written to the audit log (access/access.ts).
 * - Pages are served with a strict CSP: payloads are shown as text, never run. The page
 *   carries the first screen's data only when its request carries a valid token (first-screen-page.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiError, type PushEvent } from '../../../shared/contract';
import type { EngineBus } from '../bus';
import type { Invoke } from './handlers';
import { logInternalError } from '../internal-error';
import { BadPathError, PLACEHOLDER_PAGE, readStatic } from './static-files';
import { firstPaintPage, firstScreenElement, prerenderedScreen, splitForFirstScreen, type Prerender } from './first-screen-page';
import type { WindowStart } from '../../../shared/first-screen';
import type { Access } from '../access/access';
import { createCallerAuth, remoteAddressOf } from './caller-auth';
import { OPS_PATHS, serveOps, type Ops } from '../ops/routes';

const API_BODY_LIMIT = 8 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const isLoopbackHost = (host: string) => LOOPBACK.has(host);

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STATUS_FOR: Record<ApiError['code'], number> = {
  not_found: 404,
  invalid_params: 400,
  unknown_method: 404,
  conflict: 409,
  internal: 500,
  unauthorised: 401,
  forbidden: 403,
  /** The method exists, but not on this kind of server (a team server's database). */
  unavailable: 501,
};

export interface ControlServerOptions {
  invoke: Invoke;
  bus: EngineBus;
  /** Built renderer; a placeholder page is served when absent. */
  uiDir?: string | null;
  token?: string;
  /** Named tokens and the audit log; without it only the launch token opens the API. */
  access?: Access;
  /** /readyz and /metrics (/healthz is always there). */
  ops?: Ops;
  /** Serve over HTTPS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** A reverse proxy is the peer: the audit log takes the client from its X-Forwarded-For. */
  behindProxy?: boolean;
  /** The first screen as markup, sent in the page so its rows paint before any script runs. */
  prerender?: Prerender | null;
}

export interface ControlListenOptions {
  host?: string;
  port?: number;
  /**
   * A shared server: reached by others, on a host beyond loopback or through a proxy. Named
   * tokens only, and the Host header is not pinned (a proxy or DNS name fronts it).
   */
  shared?: boolean;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** The detail goes to the log; the answer carries only the id it is logged under. */
function internalError(res: ServerResponse, where: string, error: unknown): void {
  const errorId = logInternalError(where, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  json(res, 500, { error: { code: 'internal', message: `Internal error ${errorId}; the details are in the server's log.`, errorId } });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > API_BODY_LIMIT) {
        reject(new ApiError('invalid_params', 'Request body too large.'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(new ApiError('invalid_params', 'Request body is not JSON.'));
      }
    });
    req.on('error', reject);
  });
}

export function createControlServer(options: ControlServerOptions) {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let localOnly = true;
  const authorise = createCallerAuth(token, options.access, () => localOnly, options.behindProxy === true);
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let origin = '';
  let server: Server | null = null;
  const streams = new Set<ServerResponse>();

  /** Beyond loopback the Host is whatever name fronts the server; a browser's Origin must still be that same name. */
  function hostAllowed(req: IncomingMessage): boolean {
    return localOnly ? allowedHosts.has(req.headers.host ?? '') : true;
  }

  function originAllowed(req: IncomingMessage): boolean {
    const sent = req.headers.origin;
    if (sent === undefined) return true;
    if (localOnly) return allowedOrigins.has(sent);
    return sent === `https://${req.headers.host}` || sent === `http://${req.headers.host}`;
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const off = options.bus.subscribe((event: PushEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      off();
      clearInterval(keepAlive);
      streams.delete(res);
    });
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const uiDir = options.uiDir;
    const file = uiDir ? ((await readStatic(uiDir, url.pathname)) ?? (await readStatic(uiDir, '/index.html'))) : null;
    const body = file?.body ?? Buffer.from(PLACEHOLDER_PAGE);
    const type = file?.type ?? 'text/html; charset=utf-8';
    const parts = file && type.startsWith('text/html') && url.searchParams.has('token') && req.method === 'GET' ? splitForFirstScreen(body) : null;
    const caller = parts ? (await authorise(req, url)).caller : null;
    const readBuilt = async (path: string) => (uiDir ? ((await readStatic(uiDir, path))?.body.toString('utf8') ?? null) : null);
    const painted = parts && caller && options.prerender ? await firstPaintPage(parts[0], CONTENT_SECURITY_POLICY, readBuilt) : null;
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': painted?.policy ?? CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
    });
    if (!parts || !caller) return void res.end(body);
    // The head goes out first: the browser starts on it while the engine reads the first screen.
    res.write(painted?.head ?? parts[0]);
    try {
      const start = (await options.invoke('window.start', {}, caller)) as WindowStart;
      res.write(firstScreenElement(start));
      if (painted && options.prerender) res.write(prerenderedScreen(options.prerender, start) ?? '');
    } catch (error) {
      // The window asks for it on its own, and shows what went wrong.
      logInternalError('first screen for the page', error);
    }
    // Whatever happened above, the page's first script starts the app.
    if (painted) res.write(painted.script);
    res.end(parts[1]);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) return json(res, 421, { error: { code: 'bad_host', message: 'Unexpected Host header.' } });
    if (!originAllowed(req)) {
      return json(res, 403, { error: { code: 'bad_origin', message: 'Cross-origin requests are refused.' } });
    }
    const url = new URL(req.url ?? '/', origin);
    if (OPS_PATHS.has(url.pathname) && (req.method === 'GET' || req.method === 'HEAD')) {
      // A shared server's metrics name its packages' traffic: a token (any role) is needed there.
      if (url.pathname === '/metrics' && !localOnly && !(await authorise(req, url)).caller) return json(res, 401, { error: { code: 'unauthorised', message: 'Metrics need a token (any role).' } });
      return serveOps(options.ops, url.pathname, res);
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'method_not_allowed' } });
      try {
        return await serveStatic(req, res, url);
      } catch (error) {
        if (error instanceof BadPathError) return json(res, 400, { error: { code: 'bad_path', message: error.message } });
        throw error;
      }
    }
    const auth = await authorise(req, url);
    if (!auth.caller) {
      if (auth.presented) options.access?.refused(remoteAddressOf(req, options.behindProxy === true), url.pathname);
      // token_required tells the UI to ask for a named token; on loopback, the printed link carries the launch token.
      return localOnly
        ? json(res, 401, { error: { code: 'unauthorised', message: 'Missing or wrong access token.' } })
        : json(res, 401, { error: { code: 'token_required', message: auth.presented ? 'This API token is not valid (revoked, or mistyped).' : 'This server needs an API token; its admin makes one with "hookbench token create".' } });
    }
    const caller = auth.caller;
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(req, res);
    if (req.method !== 'POST') return json(res, 405, { error: { code: 'method_not_allowed' } });
    let method: string;
    try {
      method = decodeURIComponent(url.pathname.slice('/api/'.length));
    } catch {
      return json(res, 404, { error: { code: 'unknown_method', message: 'Unknown method (the path is not valid percent-encoding).' } });
    }
    try {
      const params = await readJson(req);
      json(res, 200, { result: await options.invoke(method, params, caller) });
    } catch (error) {
      if (error instanceof ApiError) {
        json(res, STATUS_FOR[error.code], { error: { code: error.code, message: error.message, issues: error.issues } });
      } else {
        internalError(res, `control API ${method}`, error);
      }
    }
  }

  return {
    token,
    async listen({ host = '127.0.0.1', port = 0, shared = false }: ControlListenOptions = {}): Promise<{ url: string; uiUrl: string }> {
      if (!LOOPBACK.has(host) && !shared) throw new Error(`The control API only binds to loopback; "${host}" is not.`);
      localOnly = !shared;
      const onRequest = (req: IncomingMessage, res: ServerResponse) => {
        handle(req, res).catch((error: unknown) => internalError(res, 'control request', error));
      };
      const srv: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createServer(onRequest);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, () => resolve());
      });
      server = srv;
      const { port: bound } = srv.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      const scheme = options.tls ? 'https' : 'http';
      origin = `${scheme}://${shown}:${bound}`;
      allowedHosts = new Set([`${shown}:${bound}`, `localhost:${bound}`, `127.0.0.1:${bound}`]);
      allowedOrigins = new Set([...allowedHosts].map((h) => `${scheme}://${h}`));
      // Beyond loopback the launch token opens nothing, so the link carries none.
      return { url: origin, uiUrl: localOnly ? `${origin}/?token=${token}` : `${origin}/` };
    },
    async close(): Promise<void> {
      for (const res of streams) res.end();
      streams.clear();
      const srv = server;
      server = null;
      if (!srv) return;
      await new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      });
    },
  };
}

export type ControlServer = ReturnType<typeof createControlServer>;
