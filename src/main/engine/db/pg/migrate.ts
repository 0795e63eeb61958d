import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { checkAppliedMigrations, type AppliedMigration, type Migration } from '../migrate';

/** The PostgreSQL migrations, embedded at build time as SQLite's are. */
const files = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true });

export const postgresMigrations: Migration[] = Object.entries(files)
  .map(([path, sql]) => {
    const tag = path.slice(path.lastIndexOf('/') + 1, -'.sql'.length);
    return { index: Number.parseInt(tag, 10), tag, sql };
  })
  .sort((a, b) => a.index - b.index);

const hashOf = (sql: string) => createHash('sha256').update(sql).digest('hex');

/** Several instances start at once against one database: the first migrates, the others wait for it. */
const MIGRATION_LOCK = 0x68_6b_62_6d; // "hkbm"

export const POSTGRES_PLACE = { noun: 'database', elsewhere: 'point --database at another database' };

/**
 * Applies what is missing, each migration in its own transaction, and refuses a database this
 * build does not understand (newer, or with edited migrations), as the SQLite store does.
 */
export async function migratePostgres(pool: Pool, migrations: Migration[] = postgresMigrations): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      idx integer PRIMARY KEY, tag text NOT NULL, hash text NOT NULL, applied_at bigint NOT NULL)`);
    const { rows } = await client.query<AppliedMigration>('SELECT idx, tag, hash FROM schema_migrations ORDER BY idx');
    checkAppliedMigrations(rows, migrations, POSTGRES_PLACE);
    const done = new Set(rows.map((row) => row.idx));
    for (const migration of migrations) {
      if (done.has(migration.index)) continue;
      await client.query('BEGIN');
      try {
        for (const statement of migration.sql.split('--> statement-breakpoint')) {
          if (statement.trim()) await client.query(statement);
        }
        await client.query('INSERT INTO schema_migrations (idx, tag, hash, applied_at) VALUES ($1, $2, $3, $4)', [migration.index, migration.tag, hashOf(migration.sql), Date.now()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
