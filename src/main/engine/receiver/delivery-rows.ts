import type Database from 'better-sqlite3';
import { rawTable } from '../db/raw-table';
import { deliveries, endpoints } from '../db/schema';
import { headersForStorage } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { IncomingDelivery } from './delivery-writer';

type DeliveryRow = typeof deliveries.$inferSelect;

/** The fields written, in order; their column names come from the schema. */
const FIELDS = [
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
 * The receiver's statements, on the bare SQLite connection with positional
 * parameters: at thousands of deliveries a second the query builder's per-call work
 * and named-parameter binding cost more than the insert itself. Without a box (a bare
 * writer) headers are stored as given.
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
    let duplicateOf: number | null = null;
    let { outcome, outcomeReason, statusCode } = d;
    if (d.providerDeliveryId && outcome !== 'rejected') {
      const first = firstDelivery.get(d.hookId, d.providerDeliveryId);
      if (first !== undefined) {
        duplicateOf = first;
        outcome = 'duplicate';
        // A package's repeat is acknowledged 200; an inbox answers a repeat as it was told to.
        if (d.packageId !== null) statusCode = 200;
        outcomeReason =
          d.packageId === null
            ? `A repeat of capture #${first} (${d.providerDeliveryId.startsWith('sha256:') ? 'identical bytes' : `event id ${d.providerDeliveryId}`}).`
            : `Already received as delivery #${first} (provider delivery id ${d.providerDeliveryId}); nothing ingested again.`;
      }
    }
    const row: DeliveryRow = {
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
      statusCode,
      outcome,
      outcomeReason,
      duplicateOf,
      tag: d.tag,
      releaseId: null,
      replayOf: d.replayOf ?? null,
      method: d.method ?? null,
      path: d.path ?? null,
      importKey: null,
      keptAt: null,
    };
    row.id = insert(row);
    return { row, duplicateOf };
  }

  return {
    write,
    /** Whether an active endpoint relays this package's deliveries. */
    relayed: (packageId: string): boolean => relayEndpoint.get(packageId) !== undefined,
  };
}

export type DeliveryRowWriter = ReturnType<typeof prepareDeliveryRows>;
