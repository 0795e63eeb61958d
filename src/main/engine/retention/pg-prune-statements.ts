import type { Pool } from 'pg';
import type { AsyncOps } from '../store/steps';
import type { Candidate, PruneStatements } from './prune-statements';

/*
 * PruneStatements on a team server's database (names as in the schema's one declaration).
 * Each call is its own short statement or transaction: PostgreSQL's readers and the receiver's
 * inserts never wait on a delete of other rows, so batches need no pacing beyond their size.
 */

/** A delivery a release or a fixture links to, or one marked keep: never pruned. */
export const DELIVERY_PINNED = `(d.kept_at IS NOT NULL OR EXISTS (SELECT 1 FROM releases r WHERE r.delivery_id = d.id)
  OR EXISTS (SELECT 1 FROM fixtures f WHERE f.origin = 'delivery:' || d.id))`;

/** A message an attempt of which was saved as a fixture: never pruned. */
export const MESSAGE_PINNED = `EXISTS (SELECT 1 FROM attempts pa JOIN fixtures pf ON pf.origin = 'attempt:' || pa.id WHERE pa.message_row_id = m.id)`;

interface CandidateRow {
  id: number;
  bytes: number | null;
  kept: boolean;
  receivedAt: number;
}

const toCandidate = (r: CandidateRow): Candidate => ({ id: r.id, bytes: r.bytes ?? 0, kept: r.kept, receivedAt: r.receivedAt });

export function pgPruneStatements(pool: Pool): AsyncOps<PruneStatements> {
  return {
    async nextDeliveries(key, [r, id], [afterR, afterId], limit) {
      const { rows } = await pool.query<CandidateRow>(
        `SELECT id, octet_length(body) AS bytes, kept_at IS NOT NULL AS kept, received_at AS "receivedAt" FROM deliveries
         WHERE coalesce(package_id, hook_id) = $1 AND received_at BETWEEN $2 AND $3 AND (received_at < $3 OR id <= $4)
           AND (received_at > $2 OR id > $5) AND outcome <> 'pending'
         ORDER BY received_at, id LIMIT $6`,
        [key, afterR, r, id, afterId, limit],
      );
      return rows.map(toCandidate);
    },
    async linkedDeliveries(ids) {
      const { rows } = await pool.query<{ id: number }>(
        `SELECT delivery_id AS id FROM releases WHERE delivery_id = ANY($1::int8[])
         UNION SELECT substr(origin, 10)::int8 FROM fixtures WHERE origin = ANY($2::text[])`,
        [ids, ids.map((id) => `delivery:${id}`)],
      );
      return new Set(rows.map((row) => row.id));
    },
    async removeDeliveries(ids) {
      if (ids.length === 0) return 0;
      // Pins are checked again at the delete: a row marked keep (or saved) since it was read stays.
      const { rowCount } = await pool.query(`DELETE FROM deliveries d WHERE d.id = ANY($1::int8[]) AND NOT ${DELIVERY_PINNED}`, [ids]);
      return rowCount ?? 0;
    },
    async nextMessages(endpointId, boundary, afterId, limit) {
      const { rows } = await pool.query<CandidateRow>(
        `SELECT m.id, octet_length(m.body) AS bytes, ${MESSAGE_PINNED} AS kept, m.created_at AS "receivedAt" FROM messages m
         WHERE m.endpoint_id = $1 AND m.id <= $2 AND m.id > $3 AND m.state IN ('succeeded', 'failed')
         ORDER BY m.id LIMIT $4`,
        [endpointId, boundary, afterId, limit],
      );
      return rows.map(toCandidate);
    },
    async removeMessages(ids) {
      if (ids.length === 0) return 0;
      // Attempts go with their message (ON DELETE CASCADE).
      const { rowCount } = await pool.query('DELETE FROM messages WHERE id = ANY($1::int8[])', [ids]);
      return rowCount ?? 0;
    },
    async nextAttempts(endpointId, boundary, afterId, limit) {
      const { rows } = await pool.query<{ id: number }>(
        `SELECT a.id FROM attempts a WHERE a.endpoint_id = $1 AND a.id <= $2 AND a.id > $3
           AND NOT EXISTS (SELECT 1 FROM fixtures f WHERE f.origin = 'attempt:' || a.id)
         ORDER BY a.id LIMIT $4`,
        [endpointId, boundary, afterId, limit],
      );
      return rows.map((row) => row.id);
    },
    async removeAttempts(ids) {
      if (ids.length === 0) return 0;
      const { rowCount } = await pool.query('DELETE FROM attempts WHERE id = ANY($1::int8[])', [ids]);
      return rowCount ?? 0;
    },
  };
}
