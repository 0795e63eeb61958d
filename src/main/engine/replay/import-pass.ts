import { randomBytes } from 'node:crypto';
import type { ImportResult } from '../../../shared/types';
import { sealHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { CopyCounter } from './copy-counter';
import type { SourceRecord } from './import-source';
import { bodyLength, digestOf, requestOf, type Seal, type Stored } from './import-steps';

/** `checking`: the whole file is read and checked before anything is written; `writing`: records stored. */
export type Progress = (done: number, total: number | null, stage: 'uploading' | 'checking' | 'writing') => void;

/** Reads the file's records from the start, telling which layout it found. */
export type ReadRecords = (onFormat?: (format: SourceRecord['format']) => void) => AsyncIterable<SourceRecord>;

const CHECK_PROGRESS_EVERY = 5000;
/** Records read ahead of the writer, and at most about this many bytes of bodies (progress is told after each batch). */
const BATCH = 500;
const BATCH_BYTES = 4 * 1024 * 1024;

/** Reads the records again and hands them to `write` in batches, in order. */
export async function inBatches(read: ReadRecords, write: (records: SourceRecord[]) => Promise<void>): Promise<void> {
  let batch: SourceRecord[] = [];
  let batchBytes = 0;
  for await (const record of read()) {
    batch.push(record);
    batchBytes += bodyLength(record);
    if (batch.length >= BATCH || batchBytes >= BATCH_BYTES) {
      await write(batch);
      batch = [];
      batchBytes = 0;
    }
  }
  await write(batch);
}

/** Reads and checks the whole file, writing nothing: a bad record anywhere refuses the file before a row is stored. */
export async function checkRecords(read: ReadRecords, copies: CopyCounter, progress: Progress): Promise<{ format: ImportResult['format']; total: number }> {
  let format: ImportResult['format'] = 'bundle';
  let total = 0;
  for await (const source of read((found) => (format = found))) {
    const request = requestOf(source);
    if (request) copies.note(digestOf(request));
    if (++total % CHECK_PROGRESS_EVERY === 0) progress(total, null, 'checking');
  }
  return { format, total };
}

/** What an import's rows carry until it ends: its own, so a failed one is found and taken back whole. */
export const newImportMarker = () => `import:${randomBytes(6).toString('base64url')}`;

export const sealWith =
  (box: SecretBox | undefined): Seal =>
  (headers) =>
    box ? sealHeaders(box, headers) : headers;

export const emptyCounts = (): Record<Stored, number> => ({ delivery: 0, fixture: 0, 'already stored': 0 });

export function importResult(format: ImportResult['format'], counts: Record<Stored, number>): ImportResult {
  const alreadyStored = counts['already stored'];
  return { format, deliveries: counts.delivery, fixtures: counts.fixture, ...(alreadyStored > 0 ? { alreadyStored } : {}) };
}
