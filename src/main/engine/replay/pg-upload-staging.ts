import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db/pg/transaction';
import { pgTransferSql as sql } from './pg-transfer-statements';
import { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES, UPLOAD_IDLE_MS, uploadRefusal } from './upload-staging';

/**
 * Files sent to a team server in pieces (import.begin / chunk / finish), staged in its
 * database rather than on one instance's disk: behind a load balancer each piece may reach
 * another instance. The bytes go into a PostgreSQL large object, the upload's state into a
 * settings row; the same refusals as a desktop's staging (upload-staging.ts).
 */
const KEY_PREFIX = 'import.upload:';
/** Read back this much at a time: only this much of the file is in memory at once. */
const READ_BYTES = 1024 * 1024;

interface StagedUpload {
  name: string;
  size: number;
  received: number;
  /** The large object holding the bytes received so far. */
  oid: number;
  touchedAt: number;
}

const keyOf = (uploadId: string) => KEY_PREFIX + uploadId;
const parsed = (value: string) => JSON.parse(value) as StagedUpload;

/** The file's bytes, a slice at a time, read on `client` (inside its transaction). */
async function* stagedBytes(client: PoolClient, upload: StagedUpload): AsyncGenerator<Buffer> {
  for (let at = 0; at < upload.size; at += READ_BYTES) {
    const { rows } = await client.query<{ bytes: Buffer }>({ ...sql.objectGet, values: [upload.oid, at, Math.min(READ_BYTES, upload.size - at)] });
    yield rows[0]!.bytes;
  }
}

export function pgUploadStaging(pool: Pool, now: () => number) {
  /** Uploads nobody touched for half an hour go, with their bytes (any instance sweeps). */
  async function sweep(): Promise<void> {
    await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ key: string; value: string }>({ ...sql.uploadsLocked, values: [`${KEY_PREFIX}%`] });
      for (const { key, value } of rows) {
        const upload = parsed(value);
        if (now() - upload.touchedAt <= UPLOAD_IDLE_MS) continue;
        await client.query({ ...sql.uploadDelete, values: [key] });
        await client.query({ ...sql.objectUnlink, values: [upload.oid] });
      }
    });
  }
  async function drop(uploadId: string): Promise<boolean> {
    return inTransaction(pool, async (client) => {
      // An upload being imported right now is locked by its import: it is no longer under way.
      const row = (await client.query<{ value: string }>({ ...sql.uploadLocked, values: [keyOf(uploadId)] })).rows[0];
      if (!row) return false;
      await client.query({ ...sql.uploadDelete, values: [keyOf(uploadId)] });
      await client.query({ ...sql.objectUnlink, values: [parsed(row.value).oid] });
      return true;
    });
  }

  return {
    async begin(name: string, size: number): Promise<{ uploadId: string; chunkBytes: number }> {
      await sweep();
      if (size > MAX_UPLOAD_BYTES) throw uploadRefusal.tooLarge(name);
      const uploadId = 'up_' + randomBytes(12).toString('base64url');
      await inTransaction(pool, async (client) => {
        const { oid } = (await client.query<{ oid: number }>(sql.objectCreate)).rows[0]!;
        const upload: StagedUpload = { name, size, received: 0, oid, touchedAt: now() };
        await client.query({ ...sql.uploadInsert, values: [keyOf(uploadId), JSON.stringify(upload)] });
      });
      return { uploadId, chunkBytes: UPLOAD_CHUNK_BYTES };
    },
    append(uploadId: string, offset: number, chunk: Buffer): Promise<{ received: number }> {
      return inTransaction(pool, async (client) => {
        // Pieces of one upload are taken one at a time, whichever instance each reaches.
        const row = (await client.query<{ value: string }>({ ...sql.uploadWaiting, values: [keyOf(uploadId)] })).rows[0];
        if (!row) throw uploadRefusal.notUnderWay(uploadId);
        const upload = parsed(row.value);
        if (offset !== upload.received) throw uploadRefusal.outOfPlace(uploadId, upload.received, offset);
        if (upload.received + chunk.length > upload.size) throw uploadRefusal.tooMuch(uploadId, upload.size, upload.received + chunk.length);
        await client.query({ ...sql.objectPut, values: [upload.oid, offset, chunk] });
        const received = upload.received + chunk.length;
        await client.query({ ...sql.uploadUpdate, values: [keyOf(uploadId), JSON.stringify({ ...upload, received, touchedAt: now() })] });
        return { received };
      });
    },
    /**
     * Runs `use` on the complete file inside one transaction that also removes the upload: `use`
     * commits with it, or is rolled back with it. The upload is removed whatever happens (as a
     * desktop's is); an instance that dies midway leaves it staged until it is left idle.
     */
    async finish<T>(uploadId: string, use: (client: PoolClient, bytes: () => AsyncIterable<Buffer>, name: string) => Promise<T>): Promise<T> {
      let found = false;
      try {
        return await inTransaction(pool, async (client) => {
          const row = (await client.query<{ value: string }>({ ...sql.uploadLocked, values: [keyOf(uploadId)] })).rows[0];
          if (!row) throw uploadRefusal.notUnderWay(uploadId);
          const upload = parsed(row.value);
          if (upload.received !== upload.size) throw uploadRefusal.unfinished(uploadId, upload.received, upload.size);
          found = true;
          const result = await use(client, () => stagedBytes(client, upload), upload.name);
          await client.query({ ...sql.uploadDelete, values: [keyOf(uploadId)] });
          await client.query({ ...sql.objectUnlink, values: [upload.oid] });
          return result;
        });
      } catch (error) {
        if (found) await drop(uploadId).catch(() => undefined);
        throw error;
      }
    },
    async cancel(uploadId: string): Promise<{ cancelled: boolean }> {
      return { cancelled: await drop(uploadId) };
    },
  };
}

export type PgUploadStaging = ReturnType<typeof pgUploadStaging>;
