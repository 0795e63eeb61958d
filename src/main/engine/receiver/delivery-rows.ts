import type Database from 'better-sqlite3';
import { rawTable } from '../db/raw-table';
import { deliveries, endpoints } from '../db/schema';
import { headersForStorage } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { IncomingDelivery } from './delivery-writer';

export type DeliveryRow = typeof deliveries.$inferSelect;

/** The fields written, in order; their column names come from the schema. */
export const FIELDS = [
  'hookId',
  'packageId',
  'receivedAt',
  'source',
  'remoteAddress',
  'headers',
  'body',
  'bodySize',
  'contentType',
  'providerDeliveryId',
  'event',
  'verdict',
  'verdictDetail',
  'statusCode',
  'outcome',
  'outcomeReason',
  'duplicateOf',
  'tag',
  'replayOf',
  'method',
  'path',
] as const satisfies readonly (keyof DeliveryRow)[];

export interface WrittenDelivery {
  row: DeliveryRow;
  duplicateOf: number | null;
}

/**
 * A delivery as it will be stored, before any store looked for an earlier copy. Without a box
 * (a bare writer) headers are stored as given.
 */
export function newDeliveryRow(d: IncomingDelivery, box?: SecretBox): DeliveryRow {
  return {
    id: 0,
    hookId: d.hookId,
    packageId: d.packageId,
    receivedAt: d.receivedAt,
    source: d.source,
    remoteAddress: d.remoteAddress,
    // Credential headers (X-Gitlab-Token is the package secret) are sealed like every other secret.
    headers: box ? headersForStorage(box, d.headers, d.secrets) : JSON.stringify(d.headers),
    body: d.body,
    bodySize: d.bodySize ?? d.body.length,
    contentType: d.contentType,
    providerDeliveryId: d.providerDeliveryId,
    event: d.event,
    verdict: d.verdict,
    verdictDetail: d.verdictDetail ? JSON.stringify(d.verdictDetail) : null,
    statusCode: d.statusCode,
    outcome: d.outcome,
    outcomeReason: d.outcomeReason,
    duplicateOf: null,
    tag: d.tag,
    releaseId: null,
    replayOf: d.replayOf ?? null,
    method: d.method ?? null,
    path: d.path ?? null,
    importKey: null,
    keptAt: null,
  };
}

/** Whether this row takes its provider delivery id: a rejected request never does, so a forged copy cannot block the real one. */
export const claimsDeliveryId = <T extends Pick<DeliveryRow, 'providerDeliveryId' | 'outcome'>>(row: T): row is T & { providerDeliveryId: string } =>
  row.providerDeliveryId !== null && row.providerDeliveryId !== '' && row.outcome !== 'rejected';

/** Turns a row into the recorded repeat of the first copy of its provider delivery id. */
export function markRepeat(row: DeliveryRow & { providerDeliveryId: string }, first: number): void {
  row.duplicateOf = first;
  row.outcome = 'duplicate';
  // A package's repeat is acknowledged 200; an inbox answers a repeat as it was told to.
  if (row.packageId !== null) row.statusCode = 200;
  row.outcomeReason =
    row.packageId === null
      ? `A repeat of capture #${first} (${row.providerDeliveryId.startsWith('sha256:') ? 'identical bytes' : `event id ${row.providerDeliveryId}`}).`
      : `Already received as delivery #${first} (provider delivery id ${row.providerDeliveryId}); nothing ingested again.`;
}

/**
 * The receiver's statements, on the bare SQLite connection with positional
 * parameters: at thousands of deliveries a second the query builder's per-call work
 * and named-parameter binding cost more than the insert itself.
 */
export function prepareDeliveryRows(sqlite: Database.Database, box?: SecretBox) {
  const rows = rawTable(sqlite, deliveries);
  const relays = rawTable(sqlite, endpoints);
  const relayEndpoint = sqlite
    .prepare<[string], number>(`SELECT 1 FROM ${relays.name} WHERE ${relays.column('relayPackageId')} = ? AND ${relays.column('active')} = 1 LIMIT 1`)
    .pluck();
  // The first acknowledged copy of a provider delivery id; the unique partial index answers it.
  const firstDelivery = sqlite
    .prepare<[string, string], number>(
      `SELECT ${rows.column('id')} FROM ${rows.name} WHERE ${rows.column('hookId')} = ? AND ${rows.column('providerDeliveryId')} = ? AND ${rows.column('duplicateOf')} IS NULL AND ${rows.column('outcome')} <> 'rejected'`,
    )
    .pluck();
  const insert = rows.append(FIELDS);

  /** Stores one delivery; a provider delivery id seen before makes it a recorded repeat. */
  function write(d: IncomingDelivery): WrittenDelivery {
    const row = newDeliveryRow(d, box);
    if (claimsDeliveryId(row)) {
      const first = firstDelivery.get(row.hookId, row.providerDeliveryId);
      if (first !== undefined) markRepeat(row, first);
    }
    row.id = insert(row);
    return { row, duplicateOf: row.duplicateOf };
  }

  return {
    write,
    /** Whether an active endpoint relays this package's deliveries. */
    relayed: (packageId: string): boolean => relayEndpoint.get(packageId) !== undefined,
  };
}

export type DeliveryRowWriter = ReturnType<typeof prepareDeliveryRows>;
