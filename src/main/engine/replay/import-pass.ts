import { randomBytes } from 'node:crypto';
import type { ImportResult } from '../../../shared/types';
import { sealHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { CopyCounter } from './copy-counter';
import type { SourceRecord } from './import-source';
import { digestOf, requestOf, type Seal, type Stored } from './import-steps';

/** `checking`: the whole file is read and checked before anything is written; `writing`: records stored. */
export type Progress = (done: number, total: number | null, stage: 'uploading' | 'checking' | 'writing') => void;

/** Reads the file's records from the start, telling which layout it found. */
export type ReadRecords = (onFormat?: (format: SourceRecord['format']) => void) => AsyncIterable<SourceRecord>;

const CHECK_PROGRESS_EVERY = 5000;

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
