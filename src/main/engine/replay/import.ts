import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { and, eq, isNull } from 'drizzle-orm';
import type { ImportResult } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { deliveries, fixtures } from '../db/schema';
import { deliveryIdValue } from '../receiver/payload';
import { BUNDLE_FORMAT } from './export';
import { insertFixture } from './fixtures';
import { bundleHeader, bundleRecord, describeIssues, har, ImportError, jsonErrorAt, type BundleRecord, type Har } from './import-records';

export type Progress = (done: number, total: number | null) => void;

const MAX_HAR_BYTES = 512 * 1024 * 1024;
const BATCH = 500;

interface ImportedRequest {
  receivedAt: number;
  headers: [string, string][];
  body: Buffer;
  contentType: string | null;
  event: string | null;
  providerDeliveryId: string | null;
  statusCode: number;
}

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;

/** The first copy of a provider delivery id this import has written, which a repeat points to. */
function firstImported(db: Queryable, marker: string, providerDeliveryId: string | null): number | null {
  if (providerDeliveryId === null) return null;
  const first = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.hookId, marker), eq(deliveries.providerDeliveryId, providerDeliveryId), isNull(deliveries.duplicateOf)))
    .get();
  return first?.id ?? null;
}

function insertDelivery(db: Queryable, marker: string, label: string, imported: ImportedRequest): void {
  const r = { ...imported, providerDeliveryId: deliveryIdValue(imported.providerDeliveryId) };
  // An export holds the provider's repeats beside the first copy; they come back as repeats of it.
  const duplicateOf = firstImported(db, marker, r.providerDeliveryId);
  const notIngested = 'not ingested. Replay it to a package to run it through the receiver.';
  db.insert(deliveries)
    .values({
      // Imports belong to no hook; the marker lets a failed import be taken back whole.
      hookId: marker,
      packageId: null,
      receivedAt: r.receivedAt,
      source: 'import',
      remoteAddress: null,
      headers: JSON.stringify(r.headers),
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
          ? `Imported from ${label}; ${notIngested}`
          : `Imported from ${label}; a repeat of delivery #${duplicateOf} (provider delivery id ${r.providerDeliveryId}), ${notIngested}`,
    })
    .run();
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
  };
}

function fromHar(entry: Har['log']['entries'][number]): ImportedRequest {
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
  };
}

/** A HAR file is one JSON document: read whole, checked whole, written in one transaction. */
function importHar(db: Db, path: string, text: string, marker: string, progress: Progress): ImportResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`${path} is not valid JSON (${jsonErrorAt(text, error)}); nothing was imported.`);
  }
  const checked = har.safeParse(parsed);
  if (!checked.success) throw new ImportError(`${path} is not a HAR file Hookbench can read: ${describeIssues(checked.error)}; nothing was imported.`);
  const entries = checked.data.log.entries;
  db.transaction((tx) => {
    entries.forEach((entry, i) => {
      insertDelivery(tx, marker, path, fromHar(entry));
      if ((i + 1) % BATCH === 0) progress(i + 1, entries.length);
    });
  });
  progress(entries.length, entries.length);
  return { format: 'har', deliveries: entries.length, fixtures: 0 };
}

async function* bundleLines(path: string): AsyncGenerator<{ line: number; record: BundleRecord }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (n === 1 || text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ImportError(`${path} line ${n} is not valid JSON (${(error as Error).message}); nothing was imported.`);
    }
    const checked = bundleRecord.safeParse(value);
    if (!checked.success) throw new ImportError(`${path} line ${n}: ${describeIssues(checked.error)}; nothing was imported.`);
    yield { line: n, record: checked.data };
  }
}

/**
 * A bundle is read a line at a time, twice: first every line is checked, then written in
 * batches. Memory stays bounded whatever the size, and a failure while writing takes back
 * what this import wrote, so nothing is imported partially.
 */
async function importBundle(db: Db, path: string, marker: string, progress: Progress): Promise<ImportResult> {
  let total = 0;
  for await (const _ of bundleLines(path)) total++;
  let done = 0;
  const counts = { deliveries: 0, fixtures: 0 };
  let batch: BundleRecord[] = [];
  const flush = () => {
    const records = batch;
    batch = [];
    db.transaction((tx) => {
      for (const r of records) {
        if (r.kind === 'delivery') insertDelivery(tx, marker, path, fromBundle(r));
        else
          insertFixture(tx, {
            name: r.name,
            origin: marker,
            dialect: r.dialect ?? null,
            event: r.event ?? null,
            headers: r.headers,
            body: Buffer.from(r.bodyBase64, 'base64'),
            contentType: r.contentType ?? null,
          });
        counts[r.kind === 'delivery' ? 'deliveries' : 'fixtures']++;
      }
    });
    done += records.length;
    progress(done, total);
  };
  try {
    for await (const { record } of bundleLines(path)) {
      batch.push(record);
      if (batch.length >= BATCH) flush();
    }
    flush();
  } catch (error) {
    db.transaction((tx) => {
      tx.delete(deliveries).where(eq(deliveries.hookId, marker)).run();
      tx.delete(fixtures).where(eq(fixtures.origin, marker)).run();
    });
    throw error;
  }
  return { format: 'bundle', ...counts };
}

/** Imports a HAR file or a Hookbench bundle into the delivery list, marked as imported, bytes preserved. */
export async function importFile(db: Db, path: string, progress: Progress = () => undefined): Promise<ImportResult> {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ImportError(`${path} is not a file: give a HAR file or a Hookbench bundle.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  const marker = `import:${randomBytes(6).toString('base64url')}`;
  const head = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: createReadStream(path, { end: 64 * 1024 }) });
    lines.once('line', (line) => {
      resolve(line);
      lines.close();
    });
    lines.once('close', () => resolve(''));
    lines.once('error', reject);
  });
  let header: unknown = null;
  try {
    header = JSON.parse(head);
  } catch {
    // Not a one-line header: a HAR document (or not JSON at all, which importHar reports).
  }
  if ((header as { format?: string } | null)?.format === BUNDLE_FORMAT) {
    const checked = bundleHeader.safeParse(header);
    if (!checked.success) throw new ImportError(`${path} line 1: ${describeIssues(checked.error)}; nothing was imported.`);
    return importBundle(db, path, marker, progress);
  }
  if (size > MAX_HAR_BYTES) throw new ImportError(`${path} is ${size} bytes; HAR imports stop at ${MAX_HAR_BYTES}. Export a Hookbench bundle for larger sets.`);
  return importHar(db, path, readFileSync(path, 'utf8'), marker, progress);
}
