import type { Pool } from 'pg';
import type { StorageStatements, StorageUsage } from './storage-statements';

const grouped = (rows: { k: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.k, r.n]));
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** What the storage status reads (StorageStatements) on a team server's database, in one snapshot, plus the database's size. */
export function pgStorageStatements(pool: Pool): StorageStatements & { databaseBytes(): Promise<number> } {
  return {
    async usage(): Promise<StorageUsage> {
      const client = await pool.connect();
      try {
        // One snapshot for every count, as SQLite's read transaction gives.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const q = async <T extends object>(text: string) => (await client.query<T>(text)).rows;
        const deliveries = grouped(await q('SELECT outcome AS k, count(*) AS n FROM deliveries GROUP BY outcome'));
        const messages = grouped(await q('SELECT state AS k, count(*) AS n FROM messages GROUP BY state'));
        const [one] = await q<Record<string, number | null>>(
          `SELECT (SELECT count(*) FROM releases) AS releases, (SELECT count(*) FROM attempts) AS attempts,
                  (SELECT count(*) FROM fixtures) AS fixtures, (SELECT count(*) FROM activity) AS activity,
                  (SELECT coalesce(sum(octet_length(body)), 0) FROM deliveries)::int8 AS "deliveryBodies",
                  (SELECT coalesce(sum(octet_length(body)), 0) FROM messages)::int8 AS "messageBodies",
                  (SELECT coalesce(sum(octet_length(response_body)), 0) FROM attempts)::int8 AS "attemptBodies",
                  (SELECT coalesce(sum(octet_length(body)), 0) FROM fixtures)::int8 AS "fixtureBodies",
                  (SELECT min(received_at) FROM deliveries) AS "oldestDelivery", (SELECT min(at) FROM activity) AS "oldestActivity"`,
        );
        await client.query('COMMIT');
        const n = (k: string) => one![k] ?? 0;
        return {
          counts: {
            deliveries,
            deliveriesTotal: total(deliveries),
            releases: n('releases'),
            messages,
            messagesTotal: total(messages),
            attempts: n('attempts'),
            fixtures: n('fixtures'),
            activity: n('activity'),
          },
          bodyBytes: { deliveries: n('deliveryBodies'), messages: n('messageBodies'), attempts: n('attemptBodies'), fixtures: n('fixtureBodies') },
          oldest: { delivery: one!.oldestDelivery ?? null, activity: one!.oldestActivity ?? null },
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async databaseBytes() {
      const { rows } = await pool.query<{ bytes: number }>('SELECT pg_database_size(current_database()) AS bytes');
      return rows[0]!.bytes;
    },
  };
}
