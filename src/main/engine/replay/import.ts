import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { ImportResult } from '../../../shared/types';
import type { Db } from '../db/open';
import { writeInSlices } from '../db/sliced-writes';
import { deliveryIdValue } from '../receiver/payload';
import { sealHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { insertFixture } from './fixtures';
import { ImportError, type BundleRecord, type HarEntry } from './import-records';
import { beginImportRun, endImportRun, sweepAbandonedImports, takeBackImport } from './import-runs';
import { CopyCounter } from './copy-counter';
import { adoptCaptures, captureOfUrl, forgetCaptures, noteCapture, type ImportedCapture } from './import-inbox';
import { readImportFile, type SourceRecord } from './import-source';
import { prepareImportStatements, type ImportStatements } from './import-statements';

/** `checking`: the whole file is read and checked before anything is written; `writing`: records stored. */
export type Progress = (done: number, total: number | null, stage: 'uploading' | 'checking' | 'writing') => void;

/** Credentials in an imported file (a HAR carries Authorization, cookies) are sealed like received ones. */
type Seal = (headers: [string, string][]) => [string, string][];

/** Records read ahead of the writer (a slice writes what it can of them in a few milliseconds), and at most about this many bytes of bodies. */
const BATCH = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
const CHECK_PROGRESS_EVERY = 5000;

interface ImportedRequest {
  receivedAt: number;
  headers: [string, string][];
  body: Buffer;
  contentType: string | null;
  event: string | null;
  providerDeliveryId: string | null;
  statusCode: number;
  /** Captured by an inbox: it goes back to that inbox when it exists here. */
  capture: ImportedCapture | null;
}

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;

/** What makes two imported records the same one: everything the file says about it, bytes included. */
function digestOf(r: ImportedRequest): Buffer {
  return createHash('sha256')
    .update(JSON.stringify([r.receivedAt, r.headers, r.contentType, r.event, r.providerDeliveryId, r.statusCode, r.capture]))
    .update(r.body)
    .digest();
}

function requestOf(source: SourceRecord): ImportedRequest | null {
  if (source.format === 'har') return fromHar(source.entry);
  return source.record.kind === 'delivery' ? fromBundle(source.record) : null;
}

interface Writer {
  db: Db;
  marker: string;
  label: string;
  seal: Seal;
  statements: ImportStatements;
  copies: CopyCounter;
}

/** Stores one delivery unless an earlier import stored this very record; returns whether it was stored. */
function insertDelivery(w: Writer, imported: ImportedRequest): boolean {
  const r = { ...imported, providerDeliveryId: deliveryIdValue(imported.providerDeliveryId) };
  // The n-th copy of a record in a file is the n-th copy stored: a file may hold a record
  // twice on purpose, and importing that file again adds neither copy.
  const digest = digestOf(imported).toString('base64url');
  const importKey = `${digest}.${w.copies.copyNumber(digest)}`;
  if (w.statements.isStored(importKey)) return false;
  // An export holds the provider's repeats beside the first copy; they come back as repeats of it.
  const duplicateOf = r.providerDeliveryId === null ? null : w.statements.firstCopy(r.providerDeliveryId);
  const notIngested = 'not ingested. Replay it to a package to run it through the receiver.';
  const rowId = w.statements.insert({
    // Imports belong to no hook; the marker lets a failed import be taken back whole.
    hookId: w.marker,
    packageId: null,
    receivedAt: r.receivedAt,
    source: 'import',
    headers: JSON.stringify(w.seal(r.headers)),
    body: r.body,
    bodySize: r.body.length,
    contentType: r.contentType,
    providerDeliveryId: r.providerDeliveryId,
    event: r.event ?? header(r.headers, 'x-github-event') ?? header(r.headers, 'x-gitlab-event'),
    verdict: 'unchecked',
    statusCode: r.statusCode,
    outcome: duplicateOf === null ? 'ignored' : 'duplicate',
    duplicateOf,
    outcomeReason:
      duplicateOf === null
        ? `Imported from ${w.label}; ${notIngested}`
        : `Imported from ${w.label}; a repeat of delivery #${duplicateOf} (provider delivery id ${r.providerDeliveryId}), ${notIngested}`,
    importKey,
    method: r.capture?.method ?? null,
    path: r.capture?.path ?? null,
  });
  if (r.capture) noteCapture(w.marker, r.capture.inboxId, rowId);
  return true;
}

function insertBundleFixture(w: Writer, r: Extract<BundleRecord, { kind: 'fixture' }>): boolean {
  // A bundle from before fixtures kept their request line has neither: a plain POST, as it was then.
  const fixture = {
    name: r.name,
    dialect: r.dialect ?? null,
    event: r.event ?? null,
    body: Buffer.from(r.bodyBase64, 'base64'),
    contentType: r.contentType ?? null,
    method: r.method ?? null,
    path: r.method ? (r.path ?? '') : null,
  };
  if (w.statements.fixtureStored(fixture)) return false;
  insertFixture(w.db, { ...fixture, origin: w.marker, headers: w.seal(r.headers) });
  return true;
}

function fromBundle(record: Extract<BundleRecord, { kind: 'delivery' }>): ImportedRequest {
  return {
    receivedAt: record.receivedAt,
    headers: record.headers,
    body: Buffer.from(record.bodyBase64, 'base64'),
    contentType: record.contentType ?? header(record.headers, 'content-type'),
    event: record.event ?? null,
    providerDeliveryId: record.providerDeliveryId ?? null,
    statusCode: record.statusCode ?? 0,
    capture: record.inboxId && record.method ? { inboxId: record.inboxId, method: record.method, path: record.path ?? '' } : null,
  };
}

function fromHar(entry: HarEntry): ImportedRequest {
  const headers = entry.request.headers.map((h): [string, string] => [h.name, h.value]);
  const post = entry.request.postData;
  const base64 = (post?._encoding ?? post?.encoding) === 'base64';
  return {
    // Checked when the file was read: a date between 1970 and 9999.
    receivedAt: Date.parse(entry.startedDateTime),
    headers,
    body: Buffer.from(post?.text ?? '', base64 ? 'base64' : 'utf8'),
    contentType: post?.mimeType ?? header(headers, 'content-type'),
    event: null,
    providerDeliveryId: header(headers, 'x-github-delivery') ?? header(headers, 'idempotency-key'),
    statusCode: entry.response?.status ?? 0,
    capture: captureOfUrl(entry.request.method, entry.request.url),
  };
}

const bodyLength = (source: SourceRecord) => (source.format === 'har' ? (source.entry.request.postData?.text?.length ?? 0) : source.record.bodyBase64.length);

type Stored = 'delivery' | 'fixture' | 'already stored';

function store(w: Writer, source: SourceRecord): Stored {
  const request = requestOf(source);
  if (request) return insertDelivery(w, request) ? 'delivery' : 'already stored';
  return source.format === 'bundle' && source.record.kind === 'fixture' && insertBundleFixture(w, source.record) ? 'fixture' : 'already stored';
}

/**
 * Writes an import in short slices, and takes back what it wrote if it fails or is
 * interrupted midway (or, if the process dies, the next import or start of serve does):
 * nothing is imported partially.
 */
async function asOneImport<T>(db: Db, path: string, marker: string, write: () => Promise<T>): Promise<T> {
  beginImportRun(db, marker, path);
  try {
    const result = await write();
    adoptCaptures(db, marker, path);
    endImportRun(db, marker);
    return result;
  } catch (error) {
    forgetCaptures(marker);
    await takeBackImport(db, marker);
    throw error;
  }
}

/** Reads and checks the whole file, writing nothing: a bad record anywhere refuses the file before a row is stored. */
async function checkFile(path: string, copies: CopyCounter, progress: Progress, signal?: AbortSignal): Promise<{ format: ImportResult['format']; total: number }> {
  let format: ImportResult['format'] = 'bundle';
  let total = 0;
  for await (const source of readImportFile(path, signal, (found) => (format = found))) {
    const request = requestOf(source);
    if (request) copies.note(digestOf(request));
    if (++total % CHECK_PROGRESS_EVERY === 0) progress(total, null, 'checking');
  }
  return { format, total };
}

async function writeFile(w: Writer, path: string, total: number, progress: Progress, signal?: AbortSignal): Promise<Record<Stored, number>> {
  const counts: Record<Stored, number> = { delivery: 0, fixture: 0, 'already stored': 0 };
  let done = 0;
  const flush = async (records: SourceRecord[]) => {
    signal?.throwIfAborted();
    for (const stored of await writeInSlices(w.db, records, (record) => store(w, record))) counts[stored]++;
    done += records.length;
    progress(done, total, 'writing');
  };
  let batch: SourceRecord[] = [];
  let batchBytes = 0;
  for await (const record of readImportFile(path, signal)) {
    batch.push(record);
    batchBytes += bodyLength(record);
    if (batch.length >= BATCH || batchBytes >= BATCH_BYTES) {
      await flush(batch);
      batch = [];
      batchBytes = 0;
    }
  }
  await flush(batch);
  return counts;
}

/**
 * Imports a HAR file or a Hookbench bundle into the delivery list, marked as imported, bytes
 * preserved. The file is read twice, a record at a time: first checked whole, then written
 * in slices of a few milliseconds (a running serve keeps the write lock for its receiver).
 * All or nothing: an import that fails or is aborted through `signal` takes back what it
 * wrote; one whose process dies is taken back by the next import or start of serve.
 * Records an earlier import stored already are left out, so importing a file twice adds nothing.
 */
export async function importFile(db: Db, path: string, progress: Progress = () => undefined, box?: SecretBox, signal?: AbortSignal): Promise<ImportResult> {
  const seal: Seal = (headers) => (box ? sealHeaders(box, headers) : headers);
  try {
    if (!statSync(path).isFile()) throw new ImportError(`${path} is not a file: give a HAR file or a Hookbench bundle.`);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  // An import whose process died midway is taken back before another one starts.
  await sweepAbandonedImports(db);
  const copies = new CopyCounter();
  const { format, total } = await checkFile(path, copies, progress, signal);
  const marker = `import:${randomBytes(6).toString('base64url')}`;
  const statements = prepareImportStatements(db.$client, marker);
  const counts = await asOneImport(db, path, marker, () => writeFile({ db, marker, label: path, seal, statements, copies }, path, total, progress, signal));
  const alreadyStored = counts['already stored'];
  return { format, deliveries: counts.delivery, fixtures: counts.fixture, ...(alreadyStored > 0 ? { alreadyStored } : {}) };
}
