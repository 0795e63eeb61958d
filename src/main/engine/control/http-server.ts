/**
 * The control plane: the UI and the API, never reachable from outside this machine.
 * - Binds to loopback only; anything else is refused at start.
 * - Every /api request carries the per-launch token (Authorization: Bearer, or
 *   ?token= for EventSource, which cannot set headers).
 * - The Host header must name this listener (DNS-rebinding defence), and an Origin,
 *   when a browser sends one, must be this listener's own.
 * - Pages are served with a strict CSP: payloads are shown as text, never run.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, type PushEvent } from '../../../shared/contract';
import type { EngineBus } from '../bus';
import type { Invoke } from './handlers';
import { logInternalError } from '../internal-error';
import { BadPathError, PLACEHOLDER_PAGE, readStatic } from './static-files';

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
};

export interface ControlServerOptions {
  invoke: Invoke;
  bus: EngineBus;
  /** Built renderer; a placeholder page is served when absent. */
  uiDir?: string | null;
  token?: string;
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
  const tokenBytes = Buffer.from(token);
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let origin = '';
  let server: Server | null = null;
  const streams = new Set<ServerResponse>();

  const tokenMatches = (candidate: string | null | undefined) => {
    const bytes = Buffer.from(candidate ?? '');
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  function authorised(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7) : null;
    return tokenMatches(bearer) || tokenMatches(url.searchParams.get('token'));
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

  async function serveStatic(res: ServerResponse, path: string): Promise<void> {
    const file = options.uiDir ? ((await readStatic(options.uiDir, path)) ?? (await readStatic(options.uiDir, '/index.html'))) : null;
    const body = file?.body ?? Buffer.from(PLACEHOLDER_PAGE);
    const type = file?.type ?? 'text/html; charset=utf-8';
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
    });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return json(res, 421, { error: { code: 'bad_host', message: 'Unexpected Host header.' } });
    if (req.headers.origin !== undefined && !allowedOrigins.has(req.headers.origin)) {
      return json(res, 403, { error: { code: 'bad_origin', message: 'Cross-origin requests are refused.' } });
    }
    const url = new URL(req.url ?? '/', origin);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'method_not_allowed' } });
      try {
        return await serveStatic(res, url.pathname);
      } catch (error) {
        if (error instanceof BadPathError) return json(res, 400, { error: { code: 'bad_path', message: error.message } });
        throw error;
      }
    }
    if (!authorised(req, url)) return json(res, 401, { error: { code: 'unauthorised', message: 'Missing or wrong access token.' } });
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
      json(res, 200, { result: await options.invoke(method, params) });
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
    async listen({ host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {}): Promise<{ url: string; uiUrl: string }> {
      if (!LOOPBACK.has(host)) throw new Error(`The control API only binds to loopback; "${host}" is not.`);
      const srv = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => internalError(res, 'control request', error));
      });
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, () => resolve());
      });
      server = srv;
      const { port: bound } = srv.address() as AddressInfo;
      const shown = host === '::1' ? '[::1]' : host;
      origin = `http://${shown}:${bound}`;
      allowedHosts = new Set([`${shown}:${bound}`, `localhost:${bound}`, `127.0.0.1:${bound}`]);
      allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
      return { url: origin, uiUrl: `${origin}/?token=${token}` };
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
