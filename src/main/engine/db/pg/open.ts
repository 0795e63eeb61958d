import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { SchemaMismatchError } from '../migrate';
import { migratePostgres } from './migrate';
import * as schema from './schema';

export type PostgresDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/**
 * Stored times are integer milliseconds and ids are bigint: both come back as numbers, as from
 * SQLite (they stay far below 2^53). Set on this pool only, not on the driver as a whole.
 */
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Connections this instance keeps at most (default 10). */
  poolSize?: number;
}

/** A pool on a team server's database, migrated (or refused) before anything else uses it. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types, application_name: 'hookbench' });
  // An idle connection the server dropped must not take the process down.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL connection: ${error.message}`));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return drizzle(pool, { schema }) as PostgresDatabase;
}

/** Whether a --database value names a PostgreSQL server (rather than a data directory). */
export const isPostgresUrl = (value: string): boolean => /^postgres(ql)?:\/\//i.test(value);

/** A database URL as it may be shown: its password replaced. */
export const hidePassword = (url: string) => url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/i, '$1:(hidden)@');

/** openPostgres for a team server's commands: a database that cannot be reached is named (its password hidden), with why. */
export async function openTeamDatabase(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  try {
    return await openPostgres(url, options);
  } catch (error) {
    if (error instanceof SchemaMismatchError) throw error;
    throw new Error(`Cannot open the team server's database at ${hidePassword(url)}: ${(error as Error).message}.`, { cause: error });
  }
}
