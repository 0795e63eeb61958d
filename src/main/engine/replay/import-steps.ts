import { createHash } from 'node:crypto';
import type { deliveries } from '../db/schema';
import { deliveryIdValue } from '../receiver/payload';
import { askOp, type Steps } from '../store/steps';
import type { NewFixture } from './fixtures';
import type { BundleRecord, HarEntry } from './import-records';
import { captureOfUrl, noteCapture, type ImportedCapture } from './import-inbox';
import type { SourceRecord } from './import-source';
import type { CopyCounter } from './copy-counter';

/**
 * What an import decides for each record, written once for both stores: whether it is stored
 * already, which earlier copy a provider's repeat points to, and the row it becomes. SQLite
 * answers the operations at once inside a slice's transaction, PostgreSQL over the network
 * inside the import's one transaction.
 */

/** Credentials in an imported file (a HAR carries Authorization, cookies) are sealed like received ones. */
export type Seal = (headers: [string, string][]) => [string, string][];

type DeliveryRow = typeof deliveries.$inferSelect;
export type ImportedDeliveryRow = Pick<
  DeliveryRow,
  | 'hookId'
  | 'packageId'
  | 'receivedAt'
  | 'source'
  | 'headers'
  | 'body'
  | 'bodySize'
  | 'contentType'
  | 'providerDeliveryId'
  | 'event'
  | 'verdict'
  | 'statusCode'
  | 'outcome'
  | 'duplicateOf'
  | 'outcomeReason'
  | 'importKey'
  | 'method'
  | 'path'
>;

/** The columns an imported delivery is written with, in the order PostgreSQL's insert takes them. */
export const IMPORTED_DELIVERY_COLUMNS = [
  'hookId',
  'packageId',
  'receivedAt',
  'source',
  'headers',
  'body',
  'bodySize',
  'contentType',
  'providerDeliveryId',
  'event',
  'verdict',
  'statusCode',
  'outcome',
  'duplicateOf',
  'outcomeReason',
  'importKey',
  'method',
  'path',
] as const satisfies readonly (keyof ImportedDeliveryRow)[];

export interface StoredFixtureKey {
  name: string;
  body: Buffer;
  dialect: string | null;
  event: string | null;
  contentType: string | null;
  method: string | null;
  path: string | null;
}

/** What an import asks of the store, for one import (its marker bound in). */
export interface ImportOps {
  /** Whether a record with this key is stored already (by an earlier import of the same record). */
  isStored(importKey: string): boolean;
  /** The first copy of a provider delivery id this import has written, which a repeat points to. */
  firstCopy(providerDeliveryId: string): number | null;
  /** The new row's id; null when another import stored the same record meanwhile. */
  insertDelivery(values: ImportedDeliveryRow): number | null;
  /** Whether a fixture with this name, these bytes and this request line is saved already. */
  fixtureStored(key: StoredFixtureKey): boolean;
  insertFixture(fixture: NewFixture): void;
}

const ask = <K extends keyof ImportOps>(name: K, ...args: Parameters<ImportOps[K]>) => askOp<ImportOps, K>(name, ...args);

export interface ImportedRequest {
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
export function digestOf(r: ImportedRequest): Buffer {
  return createHash('sha256')
    .update(JSON.stringify([r.receivedAt, r.headers, r.contentType, r.event, r.providerDeliveryId, r.statusCode, r.capture]))
    .update(r.body)
    .digest();
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
    capture: record.method ? { inboxId: record.inboxId ?? null, method: record.method, path: record.path ?? '' } : null,
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

export function requestOf(source: SourceRecord): ImportedRequest | null {
  if (source.format === 'har') return fromHar(source.entry);
  return source.record.kind === 'delivery' ? fromBundle(source.record) : null;
}

export const bodyLength = (source: SourceRecord) => (source.format === 'har' ? (source.entry.request.postData?.text?.length ?? 0) : source.record.bodyBase64.length);

export interface ImportWriter {
  /** Every row of this import carries it until the import ends, so a failed one is taken back whole. */
  marker: string;
  /** The file, as messages name it. */
  label: string;
  seal: Seal;
  copies: CopyCounter;
}

/** Stores one delivery unless an earlier import stored this very record; returns whether it was stored. */
function* insertDelivery(w: ImportWriter, imported: ImportedRequest): Steps<ImportOps, boolean> {
  const r = { ...imported, providerDeliveryId: deliveryIdValue(imported.providerDeliveryId) };
  // The n-th copy of a record in a file is the n-th copy stored: a file may hold a record
  // twice on purpose, and importing that file again adds neither copy.
  const digest = digestOf(imported).toString('base64url');
  const importKey = `${digest}.${w.copies.copyNumber(digest)}`;
  if (yield* ask('isStored', importKey)) return false;
  // An export holds the provider's repeats beside the first copy; they come back as repeats of it.
  const duplicateOf = r.providerDeliveryId === null ? null : yield* ask('firstCopy', r.providerDeliveryId);
  const notIngested = 'not ingested. Replay it to a package to run it through the receiver.';
  const rowId = yield* ask('insertDelivery', {
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
  if (rowId === null) return false;
  if (r.capture?.inboxId) noteCapture(w.marker, r.capture.inboxId, rowId);
  return true;
}

function* insertBundleFixture(w: ImportWriter, r: Extract<BundleRecord, { kind: 'fixture' }>): Steps<ImportOps, boolean> {
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
  if (yield* ask('fixtureStored', fixture)) return false;
  yield* ask('insertFixture', { ...fixture, origin: w.marker, headers: w.seal(r.headers) });
  return true;
}

export type Stored = 'delivery' | 'fixture' | 'already stored';

/** What becomes of one record of the file. */
export function* storeRecord(w: ImportWriter, source: SourceRecord): Steps<ImportOps, Stored> {
  const request = requestOf(source);
  if (request) return (yield* insertDelivery(w, request)) ? 'delivery' : 'already stored';
  return source.format === 'bundle' && source.record.kind === 'fixture' && (yield* insertBundleFixture(w, source.record)) ? 'fixture' : 'already stored';
}
