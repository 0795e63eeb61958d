import type { ServerResponse } from 'node:http';

/** A JSON answer; `close` ends the connection after it (refusals, so a stranger cannot hold it). */
export function send(res: ServerResponse, status: number, body: Record<string, unknown>, close = false, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
    ...extra,
  });
  res.end(text);
}
