import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true; seen: number };

/**
 * Reads the raw bytes, stopping as soon as the cap is passed: a sender
 * announcing (`declared`, its Content-Length) or streaming too much is refused
 * without buffering it all.
 */
export function readBody(req: IncomingMessage, limit: number, declared: number): Promise<BodyResult> {
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ ok: false, tooLarge: true, seen: declared });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve({ ok: false, tooLarge: true, seen: size });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    req.once('error', reject);
  });
}
