import type { PoolClient } from 'pg';
import type { ImportResult } from '../../../shared/types';
import type { SecretBox } from '../secrets/secret-box';
import { runOpsAsync } from '../store/steps';
import { CopyCounter } from './copy-counter';
import { adoptedCapture, forgetCaptures, looksForFirstCopy, takeCaptures } from './import-inbox';
import { checkRecords, emptyCounts, importResult, inBatches, newImportMarker, sealWith, type Progress, type ReadRecords } from './import-pass';
import { storeRecord } from './import-steps';
import { pgImportOps } from './pg-import-ops';
import type { SourceRecord } from './import-source';
import { pgTransferSql as sql } from './pg-transfer-statements';

const ADOPT_CHUNK = 500;

/**
 * The import's captures of an inbox that exists here join it, a chunk at a time (see
 * adoptCaptures: the same decisions). One import holds one first copy of a provider delivery id
 * at most, so the inbox's own first copies can be looked up for a whole chunk at once.
 */
async function adoptCapturesOnPg(client: PoolClient, marker: string, label: string): Promise<void> {
  const byInbox = takeCaptures(marker);
  if (!byInbox) return;
  for (const [inboxId, ids] of byInbox) {
    const inbox = (await client.query<{ name: string }>({ ...sql.inboxName, values: [inboxId] })).rows[0];
    if (!inbox) continue;
    for (let i = 0; i < ids.length; i += ADOPT_CHUNK) {
      const { rows } = await client.query<{ id: number; providerDeliveryId: string | null; duplicateOf: number | null }>({ ...sql.capturedRows, values: [ids.slice(i, i + ADOPT_CHUNK)] });
      const asked = rows.filter(looksForFirstCopy).map((row) => row.providerDeliveryId);
      const firsts = new Map((await client.query<{ providerDeliveryId: string; id: number }>({ ...sql.inboxFirstCopies, values: [inboxId, asked] })).rows.map((r) => [r.providerDeliveryId, r.id]));
      const adopted = rows.map((row) => adoptedCapture(inboxId, inbox.name, row, looksForFirstCopy(row) ? (firsts.get(row.providerDeliveryId) ?? null) : null, label));
      await client.query({
        ...sql.adoptCaptures,
        values: [inboxId, rows.map((row) => row.id), adopted.map((a) => a.duplicateOf), adopted.map((a) => a.outcome), adopted.map((a) => a.outcomeReason)],
      });
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
  const { ops, lookAhead, write } = pgImportOps(client, marker, label, now);
  const writer = { marker, label, seal: sealWith(box), copies };
  const counts = emptyCounts();
  let done = 0;
  const flush = async (records: SourceRecord[]) => {
    await lookAhead(records);
    for (const record of records) counts[await runOpsAsync(storeRecord(writer, record), ops)]++;
    await write();
    done += records.length;
    progress(done, total, 'writing');
  };
  try {
    // In batches as on a desktop (the same progress, told as often), a batch's keys looked up at once.
    await inBatches(read, flush);
    await adoptCapturesOnPg(client, marker, label);
  } finally {
    forgetCaptures(marker);
  }
  return importResult(format, counts);
}
