import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const RESPONSE_BODY_CAP = 64 * 1024;

export interface SendRequest {
  /** POST unless given (inbox forwards keep the captured method). */
  method?: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
  timeoutMs: number;
}

export interface SendResult {
  status: number | null;
  headers: [string, string][];
  body: Buffer;
  truncated: boolean;
  durationMs: number;
  error: string | null;
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** Endpoints are few and their URLs fixed: parse each once. */
const parsed = new Map<string, URL>();
function urlOf(text: string): URL {
  let url = parsed.get(text);
  if (!url) {
    if (parsed.size >= 1000) parsed.clear();
    url = new URL(text);
    parsed.set(text, url);
  }
  return url;
}

/** Methods that carry no body unless one is given: they get no Content-Length when empty. */
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);

/**
 * The header lines in the order given, repeats kept (Node writes an array of pairs as it is);
 * Host and Content-Length are the connection's, so they are written here.
 */
function headerLines(url: URL, method: string, headers: [string, string][], body: Buffer): string[] {
  const lines = ['Host', url.host];
  for (const [k, v] of headers) {
    const name = k.toLowerCase();
    if (name !== 'host' && name !== 'content-length') lines.push(k, v);
  }
  if (body.length > 0 || !BODILESS.has(method)) lines.push('Content-Length', String(body.length));
  // Node adds user:password@ as Basic auth only for headers given as an object, not as lines.
  if ((url.username || url.password) && !headers.some(([k]) => k.toLowerCase() === 'authorization')) {
    lines.push('Authorization', `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`);
  }
  return lines;
}

/**
 * One request (a POST unless told), as sent: never follows a redirect (a 3xx is the answer),
 * gives up after the timeout, and reads at most 64 KiB of what came back (then hangs up).
 */
export function send(req: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const url = urlOf(req.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    const method = req.method ?? 'POST';
    const r = request(url, { method, headers: headerLines(url, method, req.headers, req.body) as unknown as IncomingHttpHeaders }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answered = (truncated: boolean, error: string | null) =>
        finish({ status: res.statusCode ?? null, headers: pairs(res.rawHeaders), body: Buffer.concat(chunks, size), truncated, error });
      res.on('data', (chunk: Buffer) => {
        const room = RESPONSE_BODY_CAP - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(room, chunk.length);
        if (chunk.length > room) {
          // Past the cap nothing more is kept, so nothing more is read: an endpoint streaming
          // without end costs 64 KiB, not its whole output until the timeout.
          answered(true, null);
          r.destroy();
        }
      });
      res.on('end', () => answered(false, null));
      res.on('error', (e) => answered(false, e.message));
    });
    const timer = setTimeout(() => {
      r.destroy(new Error(`timed out after ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    r.on('error', (e: NodeJS.ErrnoException) =>
      finish({ status: null, headers: [], body: Buffer.alloc(0), truncated: false, error: e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message }),
    );
    r.end(req.body);
  });
}
