import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { ImportResult } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { deliveries } from '../db/schema';
import { writeInSlices } from '../db/sliced-writes';
import { deliveryIdValue } from '../receiver/payload';
import { sealHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { BUNDLE_FORMAT } from './export';
import { insertFixture } from './fixtures';
import { bundleHeader, bundleRecord, describeIssues, har, ImportError, jsonErrorAt, type BundleRecord, type Har } from './import-records';
import { beginImportRun, endImportRun, sweepAbandonedImports, takeBackImport } from './import-runs';
import { adoptCaptures, captureOfUrl, forgetCaptures, noteCapture, type ImportedCapture } from './import-inbox';

export type Progress = (done: number, total: number | null) => void;

/** Credentials in an imported file (a HAR carries Authorization, cookies) are sealed like received ones. */
type Seal = (headers: [string, string][]) => [string, string][];

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
  /** Captured by an inbox: it goes back to that inbox when it exists here. */
  capture: ImportedCapture | null;
}

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;

/** The first copy of a provider delivery id this import has written, which a repeat points to. */
function firstImported(db: Queryable, marker: string, providerDeliveryId: string | null): number | null {
  if (providerDeliveryId === null) return null;
  const first = db
    .select({ id: deliveries.id })
    .from(deliveries)
    // Spelled as the unique index's condition, so the index answers it instead of a scan of every delivery.
    .where(and(eq(deliveries.hookId, marker), eq(deliveries.providerDeliveryId, providerDeliveryId), isNull(deliveries.duplicateOf), ne(deliveries.outcome, 'rejected')))
    .get();
  return first?.id ?? null;
}

function insertDelivery(db: Queryable, marker: string, label: string, imported: ImportedRequest, seal: Seal): void {
  const r = { ...imported, providerDeliveryId: deliveryIdValue(imported.providerDeliveryId) };
  // An export holds the provider's repeats beside the first copy; they come back as repeats of it.
  const duplicateOf = firstImported(db, marker, r.providerDeliveryId);
  const notIngested = 'not ingested. Replay it to a package to run it through the receiver.';
  const written = db
    .insert(deliveries)
    .values({
      // Imports belong to no hook; the marker lets a failed import be taken back whole.
      hookId: marker,
      packageId: null,
      receivedAt: r.receivedAt,
      source: 'import',
      remoteAddress: null,
      headers: JSON.stringify(seal(r.headers)),
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
      method: r.capture?.method ?? null,
      path: r.capture?.path ?? null,
    })
    .run();
  if (r.capture) noteCapture(marker, r.capture.inboxId, Number(written.lastInsertRowid));
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
    capture: captureOfUrl(entry.request.method, entry.request.url),
  };
}

/**
 * Writes an import in short slices, and takes back what it wrote if it fails midway (or, if
 * the process dies, the next import or start of serve does): nothing is imported partially.
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

/** A HAR file is one JSON document: read whole and checked whole before anything is written. */
async function importHar(db: Db, path: string, text: string, marker: string, progress: Progress, seal: Seal): Promise<ImportResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`${path} is not valid JSON (${jsonErrorAt(text, error)}); nothing was imported.`);
  }
  const checked = har.safeParse(parsed);
  if (!checked.success) throw new ImportError(`${path} is not a HAR file Hookbench can read: ${describeIssues(checked.error)}; nothing was imported.`);
  const entries = checked.data.log.entries;
  let done = 0;
  await asOneImport(db, path, marker, () =>
    writeInSlices(
      db,
      entries,
      (entry) => insertDelivery(db, marker, path, fromHar(entry), seal),
      (written) => {
        if (Math.floor((done + written) / BATCH) > Math.floor(done / BATCH)) progress(done + written, entries.length);
        done += written;
      },
    ),
  );
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
 * short slices. Memory stays bounded whatever the size, and a failure while writing takes
 * back what this import wrote, so nothing is imported partially.
 */
async function importBundle(db: Db, path: string, marker: string, progress: Progress, seal: Seal): Promise<ImportResult> {
  let total = 0;
  for await (const _ of bundleLines(path)) total++;
  let done = 0;
  const counts = { deliveries: 0, fixtures: 0 };
  const write = (r: BundleRecord) => {
    if (r.kind === 'delivery') insertDelivery(db, marker, path, fromBundle(r), seal);
    else
      insertFixture(db, {
        name: r.name,
        origin: marker,
        dialect: r.dialect ?? null,
        event: r.event ?? null,
        headers: seal(r.headers),
        body: Buffer.from(r.bodyBase64, 'base64'),
        contentType: r.contentType ?? null,
      });
    counts[r.kind === 'delivery' ? 'deliveries' : 'fixtures']++;
  };
  const flush = async (records: BundleRecord[]) => {
    await writeInSlices(db, records, write);
    done += records.length;
    progress(done, total);
  };
  await asOneImport(db, path, marker, async () => {
    let batch: BundleRecord[] = [];
    for await (const { record } of bundleLines(path)) {
      batch.push(record);
      if (batch.length >= BATCH) {
        await flush(batch);
        batch = [];
      }
    }
    await flush(batch);
  });
  return { format: 'bundle', ...counts };
}

/** Imports a HAR file or a Hookbench bundle into the delivery list, marked as imported, bytes preserved. */
export async function importFile(db: Db, path: string, progress: Progress = () => undefined, box?: SecretBox): Promise<ImportResult> {
  const seal: Seal = (headers) => (box ? sealHeaders(box, headers) : headers);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ImportError(`${path} is not a file: give a HAR file or a Hookbench bundle.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  // An import whose process died midway is taken back before another one starts.
  await sweepAbandonedImports(db);
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
    return importBundle(db, path, marker, progress, seal);
  }
  if (size > MAX_HAR_BYTES) throw new ImportError(`${path} is ${size} bytes; HAR imports stop at ${MAX_HAR_BYTES}. Export a Hookbench bundle for larger sets.`);
  return importHar(db, path, readFileSync(path, 'utf8'), marker, progress, seal);
}
