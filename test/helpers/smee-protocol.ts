/**
 * A local server that speaks smee's wire protocol (probot/smee.io, lib/server.js):
 * - `GET|HEAD /new` → 307 to `/<channel>` (12 random bytes, base64url);
 * - `GET /<channel>` with `Accept: text/event-stream` → SSE: `event: ready`, then `event: ping`
 *   on an interval, and every webhook POSTed to the channel as an unnamed event whose data is
 *   `{...lowercased request headers, body: <parsed JSON>, query: {...}, timestamp: <ms>}`;
 * - `POST /<channel>`: the body is parsed like Fastify does for smee (JSON objects only,
 *   1 MiB limit, 415 for other content types, 413 when too large), then relayed; the
 *   provider gets 200 even when nobody listens. `POST /<channel>/redeliver` relays its body.
 * Test hooks inject faults: drop the open streams, make them go silent (a stall), refuse
 * connections for a while (smee down), or pause (as SIGSTOP does: the sockets stay open,
 * nothing is answered or sent until it resumes, then everything held is handled in order).
 *
 * Plain Node with erasable types only and no imports but Node's: the benchmark runs it as
 * it is (bench/smee-server.js); tests use it through fake-smee.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { setTimeout as delay } from 'node:timers/promises';

export interface FakeSmeeOptions {
  /** smee pings every 30 s. */
  pingIntervalMs?: number;
  /** Fastify's default, which smee keeps: 1 MiB. */
  bodyLimit?: number;
  /** `reject`: today's smee (415 for anything but JSON). `empty`: the older Express smee, which relayed `body: {}`. */
  nonJson?: 'reject' | 'empty';
  /** Keep every relayed event in `relayed` (tests); off, only `relayedCount` is kept (the benchmark). */
  keepRelayed?: boolean;
}

interface Stream {
  channel: string;
  res: ServerResponse;
  nextId: number;
  /** A stalled stream stays open but receives nothing more. */
  silent: boolean;
}

export interface PostAnswer {
  status: number;
  body: string;
}

const CHANNEL = /^\/([A-Za-z0-9_-]{1,128})(\/redeliver)?\/?$/;

function fastifyError(res: ServerResponse, status: number, code: string, error: string, message: string): void {
  const body = JSON.stringify({ statusCode: status, code, error, message });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readAll(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startSmeeServer(options: FakeSmeeOptions = {}) {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const streams = new Set<Stream>();
  const changeWaiters = new Set<() => void>();
  const relayed: { channel: string; data: Record<string, unknown> }[] = [];
  const changed = () => {
    for (const w of [...changeWaiters]) w();
  };
  let relayedCount = 0;
  /** While paused, requests wait here in arrival order; on resume each is handled in turn, as a stopped process would. */
  let held: (() => Promise<void>)[] | null = null;

  const write = (stream: Stream, text: string) => {
    stream.res.write(`id: ${stream.nextId++}\n${text}\n\n`);
  };
  const emit = (channel: string, payload: unknown) => {
    for (const s of streams) if (s.channel === channel && !s.silent) write(s, `data: ${JSON.stringify(payload)}`);
  };

  const pinger = setInterval(() => {
    if (held) return;
    for (const s of streams) if (!s.silent) write(s, 'event: ping\ndata: {}');
  }, options.pingIntervalMs ?? 30_000);

  async function parseBody(req: IncomingMessage, res: ServerResponse): Promise<{ ok: true; body: unknown } | { ok: false }> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimit) {
      req.resume();
      fastifyError(res, 413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Payload Too Large', 'Request body is too large');
      return { ok: false };
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const raw = await readAll(req, bodyLimit);
    if (raw === null) {
      fastifyError(res, 413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Payload Too Large', 'Request body is too large');
      return { ok: false };
    }
    if (type !== 'application/json') {
      if (options.nonJson === 'empty') return { ok: true, body: {} };
      fastifyError(res, 415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Unsupported Media Type', `Unsupported Media Type: ${req.headers['content-type'] ?? ''}`);
      return { ok: false };
    }
    if (raw.length === 0) {
      fastifyError(res, 400, 'FST_ERR_CTP_EMPTY_JSON_BODY', 'Bad Request', "Body cannot be empty when content-type is set to 'application/json'");
      return { ok: false };
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      fastifyError(res, 400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'Bad Request', (error as Error).message);
      return { ok: false };
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      fastifyError(res, 400, 'FST_ERR_VALIDATION', 'Bad Request', 'body must be object');
      return { ok: false };
    }
    return { ok: true, body };
  }

  const handle = (req: IncomingMessage, res: ServerResponse) =>
    (async () => {
      const url = new URL(req.url ?? '/', 'http://fake-smee');
      if (url.pathname === '/new' && (req.method === 'GET' || req.method === 'HEAD')) {
        const channel = randomBytes(12).toString('base64url');
        res.writeHead(307, { location: `http://${req.headers.host}/${channel}` });
        res.end();
        return;
      }
      const match = CHANNEL.exec(url.pathname);
      if (!match) {
        fastifyError(res, 404, 'FST_ERR_NOT_FOUND', 'Not Found', `Route ${req.method}:${url.pathname} not found`);
        return;
      }
      const channel = match[1]!;
      if (req.method === 'GET' && !match[2]) {
        if (req.headers.accept !== 'text/event-stream') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<!doctype html><title>fake smee channel</title>');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-no-compression': '1' });
        const stream: Stream = { channel, res, nextId: 0, silent: false };
        streams.add(stream);
        res.on('close', () => {
          streams.delete(stream);
          changed();
        });
        write(stream, 'event: ready\ndata: {}');
        changed();
        return;
      }
      if (req.method !== 'POST') {
        fastifyError(res, 404, 'FST_ERR_NOT_FOUND', 'Not Found', `Route ${req.method}:${url.pathname} not found`);
        return;
      }
      const parsed = await parseBody(req, res);
      if (!parsed.ok) return;
      const data = match[2]
        ? (parsed.body as Record<string, unknown>)
        : { ...req.headers, body: parsed.body, query: { ...parseQuery(url.search.slice(1)) }, timestamp: Date.now() };
      relayedCount++;
      if (options.keepRelayed !== false) relayed.push({ channel, data });
      emit(channel, data);
      res.writeHead(200);
      res.end();
    })().catch((error: unknown) => {
      if (!res.headersSent) fastifyError(res, 500, 'FST_ERR_INTERNAL', 'Internal Server Error', (error as Error).message);
    });

  const server = createServer((req, res) => {
    if (held) held.push(() => handle(req, res));
    else void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const countOf = (channel?: string, live = false) =>
    [...streams].filter((s) => (channel === undefined || s.channel === channel) && (!live || !s.silent)).length;

  const fake = {
    url,
    /** Every event relayed, in order (what smee emitted, listener or not). */
    relayed,
    relayedCount: () => relayedCount,
    /** Open event streams, on one channel or all; `live` leaves out stalled ones. */
    streams: (channel?: string, live = false) => countOf(channel, live),
    /** Resolves once this many healthy streams are open. */
    waitForStreams(count: number, channel?: string, timeoutMs = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (countOf(channel, true) < count) return;
          changeWaiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          changeWaiters.delete(check);
          reject(new Error(`fake smee: ${countOf(channel, true)} streams open, waited for ${count}`));
        }, timeoutMs);
        changeWaiters.add(check);
        check();
      });
    },
    /** A new channel, as `GET /new` would give. */
    channelUrl: () => `${url}/${randomBytes(12).toString('base64url')}`,
    /** Ends every open stream abruptly, as a network drop or a smee restart does. */
    dropConnections(): number {
      const open = [...streams];
      for (const s of open) s.res.destroy();
      return open.length;
    },
    /** Open streams stay open but go silent: no more pings or events. Streams opened later are healthy. */
    stallConnections(): number {
      for (const s of streams) s.silent = true;
      return streams.size;
    },
    /** smee goes down for `ms`: open streams and connections are cut and new ones refused, then it listens again on the same port. */
    async refuseFor(ms: number): Promise<void> {
      for (const s of streams) s.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await delay(ms);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    /** smee stops for `ms` (SIGSTOP): connections stay open, nothing is sent or answered; then it resumes and handles what it held, in order. */
    async pauseFor(ms: number): Promise<void> {
      const queue: (() => Promise<void>)[] = [];
      held = queue;
      await delay(ms);
      while (queue.length > 0) await queue.shift()!();
      held = null;
    },
    /** POSTs to a channel URL as a provider would, and returns smee's answer. */
    async post(target: string, body: string | Buffer, headers: Record<string, string>): Promise<PostAnswer> {
      const res = await fetch(target, { method: 'POST', body, headers });
      return { status: res.status, body: await res.text() };
    },
    async close(): Promise<void> {
      clearInterval(pinger);
      for (const s of streams) s.res.destroy();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

export type FakeSmee = Awaited<ReturnType<typeof startSmeeServer>>;
