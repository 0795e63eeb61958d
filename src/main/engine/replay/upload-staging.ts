import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../../shared/contract';

/** What a window sends per call: 4 MiB, a little over 5.3 MiB as base64, under the control API's 8 MiB. */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** Largest file taken this way. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
/** An upload nobody touched for this long is dropped with its file. */
export const UPLOAD_IDLE_MS = 30 * 60_000;
const IDLE_MS = UPLOAD_IDLE_MS;

/** What an upload refuses, in the same words whichever store takes it. */
export const uploadRefusal = {
  tooLarge: (name: string) =>
    new ApiError('invalid_params', `${name} is larger than the ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB an upload can be; import it from a terminal: hookbench import FILE.`),
  notUnderWay: (id: string) => new ApiError('not_found', `No upload ${id} under way: it was finished, cancelled, or left idle for more than 30 minutes. Start again.`),
  outOfPlace: (id: string, received: number, offset: number) =>
    new ApiError('invalid_params', `Upload ${id} has ${received} bytes; a piece at offset ${offset} does not follow on. Send the piece at ${received}.`),
  tooMuch: (id: string, size: number, wouldBe: number) => new ApiError('invalid_params', `Upload ${id} was announced as ${size} bytes; this piece would make it ${wouldBe}.`),
  unfinished: (id: string, received: number, size: number) => new ApiError('invalid_params', `Upload ${id} has ${received} of ${size} bytes; send the rest first.`),
};

interface Upload {
  name: string;
  dir: string;
  path: string;
  size: number;
  received: number;
  touchedAt: number;
}

/**
 * Files sent to the engine in pieces, in order, onto disk: a window (or a script) can hand
 * over a file of any size without either side holding it whole. Each upload lives in its
 * own temporary directory until it is finished, cancelled, or left idle.
 */
const PREFIX = 'hookbench-import-';

/** What an earlier run left behind (it stopped mid-upload): gone once it is older than an idle upload may be. */
function removeLeftovers(now: number): void {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), entry);
    try {
      if (now - statSync(dir).mtimeMs > IDLE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

export function createUploadStaging(now: () => number = Date.now) {
  const uploads = new Map<string, Upload>();
  removeLeftovers(now());
  const sweeper = setInterval(() => sweep(), IDLE_MS / 6);
  sweeper.unref();

  function sweep(): void {
    for (const [id, u] of uploads) if (now() - u.touchedAt > IDLE_MS) drop(id);
  }
  function drop(id: string): void {
    const u = uploads.get(id);
    uploads.delete(id);
    if (u) rmSync(u.dir, { recursive: true, force: true });
  }
  function get(id: string): Upload {
    const u = uploads.get(id);
    if (!u) throw uploadRefusal.notUnderWay(id);
    u.touchedAt = now();
    return u;
  }

  return {
    begin(name: string, size: number): { uploadId: string; chunkBytes: number } {
      sweep();
      if (size > MAX_UPLOAD_BYTES) throw uploadRefusal.tooLarge(name);
      const dir = mkdtempSync(join(tmpdir(), PREFIX));
      const uploadId = 'up_' + randomBytes(12).toString('base64url');
      // The file keeps the person's name: the import's messages name it.
      uploads.set(uploadId, { name, dir, path: join(dir, name.replace(/[^\w.-]/g, '_')), size, received: 0, touchedAt: now() });
      appendFileSync(uploads.get(uploadId)!.path, Buffer.alloc(0));
      return { uploadId, chunkBytes: UPLOAD_CHUNK_BYTES };
    },
    append(uploadId: string, offset: number, chunk: Buffer): { received: number } {
      const u = get(uploadId);
      if (offset !== u.received) throw uploadRefusal.outOfPlace(uploadId, u.received, offset);
      if (u.received + chunk.length > u.size) throw uploadRefusal.tooMuch(uploadId, u.size, u.received + chunk.length);
      appendFileSync(u.path, chunk);
      u.received += chunk.length;
      return { received: u.received };
    },
    /** Runs `use` on the complete file (and the name it was sent under), then removes it whatever happens. */
    async finish<T>(uploadId: string, use: (path: string, name: string) => Promise<T>): Promise<T> {
      const u = get(uploadId);
      if (u.received !== u.size) throw uploadRefusal.unfinished(uploadId, u.received, u.size);
      uploads.delete(uploadId);
      try {
        return await use(u.path, u.name);
      } finally {
        rmSync(u.dir, { recursive: true, force: true });
      }
    },
    cancel(uploadId: string): { cancelled: boolean } {
      const known = uploads.has(uploadId);
      drop(uploadId);
      return { cancelled: known };
    },
    /** Drops everything under way (the engine is closing). */
    clear(): void {
      clearInterval(sweeper);
      for (const id of [...uploads.keys()]) drop(id);
    },
  };
}

export type UploadStaging = ReturnType<typeof createUploadStaging>;
