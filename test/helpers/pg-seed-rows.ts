import pg from 'pg';

/**
 * The rows of seed-rows.ts, in the same shapes, written into a team server's PostgreSQL
 * database with plain INSERTs (its schema made by the engine first): one statement per table,
 * its values passed as arrays, all in one transaction. Ids come back oldest first.
 */
async function inOne<T>(url: string, write: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await write(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
    await pool.end();
  }
}

/** Identities are handed out in the order unnest yields the rows; sorted so, whatever order RETURNING lists them in. */
const idsOf = (rows: { id: string }[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);
const range = (count: number) => Array.from({ length: count }, (_, i) => i);

/** A delivery row's own values; received one millisecond after the one before, and captured, unless given. */
export interface SeedDelivery {
  event?: string;
  verdict?: string;
  packageId?: string;
  outcome?: string;
  receivedAt?: number;
}

export function pgSeedDeliveries(url: string, hookId: string, count: number, row: (i: number) => SeedDelivery = () => ({})): Promise<number[]> {
  const rows = range(count).map(row);
  const now = Date.now() - count;
  return inOne(url, async (db) => {
    const { rows: inserted } = await db.query<{ id: string }>(
      `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, event, verdict, status_code, outcome, method, path)
       SELECT $1, package_id, received_at, 'import', '[]', '\\x7b7d'::bytea, 2, event, verdict, 200, outcome, 'POST', '/'
       FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(package_id, received_at, event, verdict, outcome, n)
       ORDER BY n
       RETURNING id`,
      [
        hookId,
        rows.map((r) => r.packageId ?? null),
        rows.map((r, i) => r.receivedAt ?? now + i),
        rows.map((r) => r.event ?? 'ping'),
        rows.map((r) => r.verdict ?? 'unchecked'),
        rows.map((r) => r.outcome ?? 'captured'),
      ],
    );
    return idsOf(inserted);
  });
}

export function pgSeedActivity(url: string, count: number, packageId: string | null = null): Promise<number[]> {
  const now = Date.now() - count;
  return inOne(url, async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO activity (at, package_id, kind, message)
       SELECT $1::bigint + n - 1, $2, 'delivery_received', 'entry ' || (n - 1) FROM generate_series(1, $3::int) AS n ORDER BY n RETURNING id`,
      [now, packageId, count],
    );
    return idsOf(rows);
  });
}

/** One message per attempt, each tried once and answered 200. */
export function pgSeedAttempts(url: string, endpointId: string, count: number, target = 'http://127.0.0.1:9/hooks'): Promise<{ messageIds: number[]; attemptIds: number[] }> {
  const now = Date.now() - count;
  return inOne(url, async (db) => {
    const { rows: messages } = await db.query<{ id: string }>(
      `INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, attempt_count, last_status, created_at, updated_at)
       SELECT 'msg_seed_' || (n - 1), $1, 'release.published', '\\x7b7d'::bytea, 'application/json', 'trigger', 'succeeded', 1, 200, $2::bigint + n - 1, $2::bigint + n - 1
       FROM generate_series(1, $3::int) AS n ORDER BY n RETURNING id`,
      [endpointId, now, count],
    );
    const messageIds = idsOf(messages);
    const { rows: attempts } = await db.query<{ id: string }>(
      `INSERT INTO attempts (message_row_id, endpoint_id, attempt_no, trigger, started_at, url, request_headers, status, duration_ms, succeeded)
       SELECT message_row_id, $1, 1, 'scheduled', $2::bigint + n - 1, $3, '[]', 200, 5, true
       FROM unnest($4::bigint[]) WITH ORDINALITY AS m(message_row_id, n) ORDER BY n RETURNING id`,
      [endpointId, now, target, messageIds],
    );
    return { messageIds, attemptIds: idsOf(attempts) };
  });
}

/** Releases v1.0.0, v1.0.1, … published for a package; returns their tags, oldest first. */
export function pgSeedReleases(url: string, packageId: string, count: number): Promise<string[]> {
  const versions = range(count).map((i) => `1.${Math.floor(i / 1000)}.${i % 1000}`);
  const now = Date.now() - count;
  return inOne(url, async (db) => {
    await db.query(
      `INSERT INTO releases (package_id, tag, version, prerelease, status, created_at, updated_at)
       SELECT $1, 'v' || version, version, false, 'published', $2::bigint + n - 1, $2::bigint + n - 1
       FROM unnest($3::text[]) WITH ORDINALITY AS r(version, n) ORDER BY n`,
      [packageId, now, versions],
    );
    return versions.map((v) => `v${v}`);
  });
}
