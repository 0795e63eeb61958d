import type { PoolClient } from 'pg';
import type { ImportResult } from '../../../shared/types';
import type { SecretBox } from '../secrets/secret-box';
import { runOpsAsync, type AsyncOps } from '../store/steps';
import { CopyCounter } from './copy-counter';
import { addFixture } from './fixtures';
import { adoptedCapture, forgetCaptures, looksForFirstCopy, takeCaptures } from './import-inbox';
import { checkRecords, emptyCounts, importResult, newImportMarker, sealWith, type Progress, type ReadRecords } from './import-pass';
import { bodyLength, IMPORTED_DELIVERY_COLUMNS, storeRecord, type ImportOps } from './import-steps';
import { pgCapturedOps } from './pg-captured-ops';
import { pgTransferSql as sql } from './pg-transfer-statements';

/** Progress is told as often as the desktop tells it: every so many records, or bodies of about this many bytes. */
const PROGRESS_RECORDS = 500;
const PROGRESS_BYTES = 4 * 1024 * 1024;
const ADOPT_CHUNK = 500;

/** An import's operations inside its transaction on PostgreSQL. */
function pgImportOps(client: PoolClient, marker: string, now: () => number): AsyncOps<ImportOps> {
  const fixtures = pgCapturedOps(client);
  return {
    isStored: async (importKey) => (await client.query({ ...sql.isStored, values: [importKey] })).rows.length > 0,
    firstCopy: async (providerDeliveryId) => (await client.query<{ id: number }>({ ...sql.firstCopy, values: [marker, providerDeliveryId] })).rows[0]?.id ?? null,
    insertDelivery: async (values) => (await client.query<{ id: number }>({ ...sql.insertDelivery, values: IMPORTED_DELIVERY_COLUMNS.map((key) => values[key]) })).rows[0]?.id ?? null,
    fixtureStored: async (f) => (await client.query({ ...sql.fixtureStored, values: [f.name, f.body, f.dialect, f.event, f.contentType, f.method, f.path] })).rows.length > 0,
    insertFixture: async (fixture) => void (await runOpsAsync(addFixture(fixture, now()), fixtures)),
  };
}

/** The import's captures of an inbox that exists here join it (see adoptCaptures: the same decisions). */
async function adoptCapturesOnPg(client: PoolClient, marker: string, label: string): Promise<void> {
  const byInbox = takeCaptures(marker);
  if (!byInbox) return;
  for (const [inboxId, ids] of byInbox) {
    const inbox = (await client.query<{ name: string }>({ ...sql.inboxName, values: [inboxId] })).rows[0];
    if (!inbox) continue;
    for (let i = 0; i < ids.length; i += ADOPT_CHUNK) {
      const { rows } = await client.query<{ id: number; providerDeliveryId: string | null; duplicateOf: number | null }>({ ...sql.capturedRows, values: [ids.slice(i, i + ADOPT_CHUNK)] });
      for (const row of rows) {
        const first = looksForFirstCopy(row) ? (await client.query<{ id: number }>({ ...sql.firstCopy, values: [inboxId, row.providerDeliveryId] })).rows[0] : undefined;
        const adopted = adoptedCapture(inboxId, inbox.name, row, first?.id ?? null, label);
        await client.query({ ...sql.adoptCapture, values: [row.id, adopted.hookId, adopted.duplicateOf, adopted.outcome, adopted.outcomeReason] });
      }
    }
  }
}

/**
 * Imports a file into a team server's database, inside the caller's transaction on `client`:
 * the file is read twice, a record at a time (checked whole, then written), with the same
 * decisions as on a desktop data dir (import-steps.ts). Nothing is visible to anyone until the
 * transaction commits, and nothing is left if it does not (an error, a cancelled statement, an
 * instance that dies: PostgreSQL rolls it back), so there is nothing for a restart to take back.
 * PostgreSQL writers do not wait on one another as SQLite's do, so the import is not sliced.
 */
export async function importOnPg(client: PoolClient, read: ReadRecords, label: string, progress: Progress, box: SecretBox, now: () => number): Promise<ImportResult> {
  const copies = new CopyCounter();
  const { format, total } = await checkRecords(read, copies, progress);
  const marker = newImportMarker();
  const ops = pgImportOps(client, marker, now);
  const writer = { marker, label, seal: sealWith(box), copies };
  const counts = emptyCounts();
  let done = 0;
  let sinceRecords = 0;
  let sinceBytes = 0;
  try {
    for await (const record of read()) {
      counts[await runOpsAsync(storeRecord(writer, record), ops)]++;
      done++;
      sinceBytes += bodyLength(record);
      if (++sinceRecords >= PROGRESS_RECORDS || sinceBytes >= PROGRESS_BYTES) {
        progress(done, total, 'writing');
        sinceRecords = sinceBytes = 0;
      }
    }
    progress(done, total, 'writing');
    await adoptCapturesOnPg(client, marker, label);
  } finally {
    forgetCaptures(marker);
  }
  return importResult(format, counts);
}
