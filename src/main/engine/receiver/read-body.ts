import type { IncomingMessage } from 'node:http';

export type BodyResult =
  /** `body` is the whole body, or its first `keep` bytes when `size` is larger. */
  | { ok: true; body: Buffer; size: number; release: () => void }
  /** Refused at the cap: `body` is what was kept of it before. */
  | { ok: false; tooLarge: true; seen: number; body: Buffer; release: () => void }
  /** The client went away (or was cut by a timeout) before sending it all: nobody to answer. */
  | { ok: false; aborted: true };

export interface ReadBodyOptions {
  /** Most bytes accepted; past it the read stops. */
  limit: number;
  /** The sender's Content-Length, when it gave one. */
  declared: number;
  /** Most bytes kept in memory; the rest are counted and dropped. Defaults to the limit. */
  keep?: number;
}

/**
 * Reads the raw bytes, stopping as soon as the cap is passed: a sender announcing
 * (`declared`, its Content-Length) or streaming too much is refused without buffering it all.
 * Bytes are copied into one buffer as they arrive, so the socket's read buffers are let go at
 * once and a large body costs its own size, once.
 */
export function readBody(req: IncomingMessage, { limit, declared, keep = limit }: ReadBodyOptions): Promise<BodyResult> {
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ ok: false, tooLarge: true, seen: declared, body: Buffer.alloc(0), release: () => undefined });
  }
  const kept = createKept(Math.min(keep, limit), declared);
  return new Promise((resolve) => {
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      kept.add(chunk);
      if (size > limit) {
        req.pause();
        settle({ ok: false, tooLarge: true, seen: size, body: kept.bytes(), release: kept.release });
      }
    };
    req.on('data', onData);
    req.once('end', () => settle({ ok: true, body: kept.bytes(), size, release: kept.release }));
    req.once('error', () => settle({ ok: false, aborted: true }));
    req.once('close', () => settle({ ok: false, aborted: true }));
  });
}

/** Smaller bodies are left to the garbage collector. */
const RELEASE_FROM = 64 * 1024;

/** The first `cap` bytes of a stream; sized from Content-Length when the sender gave one. */
function createKept(cap: number, declared: number) {
  let buffer = Buffer.allocUnsafeSlow(Number.isFinite(declared) && declared >= 0 ? Math.min(cap, declared) : Math.min(cap, 64 * 1024));
  let length = 0;
  return {
    add(chunk: Buffer): void {
      const room = cap - length;
      if (room <= 0) return;
      const take = Math.min(room, chunk.length);
      if (length + take > buffer.length) {
        const grown = Buffer.allocUnsafeSlow(Math.min(cap, Math.max(buffer.length * 2, length + take)));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      chunk.copy(buffer, length, 0, take);
      length += take;
    },
    bytes: (): Buffer => (length === buffer.length ? buffer : buffer.subarray(0, length)),
    /**
     * Frees a large body's memory now rather than at the next garbage collection, which an idle
     * server may not run for a long time: after a burst of big requests the memory would stay
     * taken. Only for when nothing holds the body any more (it is stored or refused).
     */
    release(): void {
      const backing = buffer.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean };
      if (backing.byteLength >= RELEASE_FROM && typeof backing.transfer === 'function' && !backing.detached) backing.transfer(0);
    },
  };
}
