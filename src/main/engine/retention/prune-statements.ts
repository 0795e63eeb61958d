import type Database from 'better-sqlite3';
import type { Db } from '../db/open';
import { sqliteDeliveryDeleteStatements } from '../store/delivery-delete-statements';

/** A delivery boundary: [receivedAt, id]; rows at or before it are past the policy. */
export type DeliveryBoundary = [number, number];

export interface Candidate {
  id: number;
  bytes: number;
  /** Marked keep by the user. */
  kept: boolean;
  /** For the cursor: deliveries walk by [receivedAt, id]. */
  receivedAt: number;
}

/** What carrying out a prune plan asks of the store, a few rows at a time; a PostgreSQL store answers the same. */
export interface PruneStatements {
  /** Deliveries of one package or inbox past the boundary, after the cursor, oldest first; never pending ones. */
  nextDeliveries(key: string, boundary: DeliveryBoundary, after: DeliveryBoundary, limit: number): Candidate[];
  /** Of these deliveries, the ones a release or fixture links to. */
  linkedDeliveries(ids: number[]): Set<number>;
  removeDeliveries(ids: number[]): number;
  /** An endpoint's finished messages up to the boundary id, after `afterId`, oldest first; kept: a fixture was saved from one of its attempts. */
  nextMessages(endpointId: string, boundary: number, afterId: number, limit: number): Candidate[];
  /** Removes messages with their attempts. */
  removeMessages(ids: number[]): number;
  /** An endpoint's attempt logs up to the boundary id, after `afterId`, that no fixture was saved from. */
  nextAttempts(endpointId: string, boundary: number, afterId: number, limit: number): number[];
  removeAttempts(ids: number[]): number;
}

export function sqlitePruneStatements(db: Db): PruneStatements {
  const sqlite: Database.Database = db.$client;
  const deliveryLinks = sqliteDeliveryDeleteStatements(db, {});
  // Both ends of the range are given, and the order is the index's own: no sort, no rescan of what was passed.
  const nextDeliveries = sqlite.prepare(
    `SELECT id, length(body) AS bytes, kept_at IS NOT NULL AS kept, received_at AS receivedAt FROM deliveries
     WHERE coalesce(package_id, hook_id) = ? AND received_at BETWEEN ? AND ? AND (received_at < ? OR id <= ?)
       AND (received_at > ? OR id > ?) AND outcome <> 'pending'
     ORDER BY received_at, id LIMIT ?`,
  );
  const nextMessages = sqlite.prepare(
    `SELECT id, length(body) AS bytes, created_at AS receivedAt,
       id IN (SELECT a.message_row_id FROM fixtures f JOIN attempts a ON a.id = CAST(substr(f.origin, 9) AS INTEGER) WHERE f.origin LIKE 'attempt:%') AS kept
     FROM messages WHERE endpoint_id = ? AND id <= ? AND id > ? AND state IN ('succeeded', 'failed')
     ORDER BY endpoint_id, id LIMIT ?`,
  );
  const nextAttempts = sqlite
    .prepare(
      `SELECT id FROM attempts WHERE endpoint_id = ? AND id <= ? AND id > ?
         AND ('attempt:' || id) NOT IN (SELECT origin FROM fixtures WHERE origin LIKE 'attempt:%')
       ORDER BY endpoint_id, id LIMIT ?`,
    )
    .pluck();
  // One statement for any number of ids (as JSON), rather than one compiled per list.
  const deleteMessages = sqlite.prepare('DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))');
  const deleteAttempts = sqlite.prepare('DELETE FROM attempts WHERE id IN (SELECT value FROM json_each(?))');
  const toCandidate = (r: { id: number; bytes: number | null; kept: number; receivedAt: number }): Candidate => ({ id: r.id, bytes: r.bytes ?? 0, kept: r.kept === 1, receivedAt: r.receivedAt });
  return {
    nextDeliveries(key, [r, id], [afterR, afterId], limit) {
      return (nextDeliveries.all(key, afterR, r, r, id, afterR, afterId, limit) as Parameters<typeof toCandidate>[0][]).map(toCandidate);
    },
    linkedDeliveries(ids) {
      const { byRelease, byFixture } = deliveryLinks.linked(ids);
      return new Set([...byRelease, ...byFixture]);
    },
    removeDeliveries: (ids) => deliveryLinks.remove(ids),
    nextMessages(endpointId, boundary, afterId, limit) {
      return (nextMessages.all(endpointId, boundary, afterId, limit) as Parameters<typeof toCandidate>[0][]).map(toCandidate);
    },
    removeMessages(ids) {
      if (ids.length === 0) return 0;
      // Attempts go with their message (ON DELETE CASCADE).
      return deleteMessages.run(JSON.stringify(ids)).changes;
    },
    nextAttempts: (endpointId, boundary, afterId, limit) => nextAttempts.all(endpointId, boundary, afterId, limit) as number[],
    removeAttempts(ids) {
      if (ids.length === 0) return 0;
      return deleteAttempts.run(JSON.stringify(ids)).changes;
    },
  };
}
