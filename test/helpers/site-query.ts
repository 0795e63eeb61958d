// Plain SQL on a site's store (test/helpers/engine-sites.ts), for seeding rows a test needs with times
// and sizes no API call makes, and for checking what is stored: the same text runs on both stores.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import type { Site } from './engine-sites';

/** $1-style parameters (each becomes a ? for SQLite, booleans 1 or 0); the rows a statement returns, [] when it returns none. */
export type SiteQuery = <T>(text: string, params?: unknown[]) => Promise<T[]>;

/** A connection of its own to the site's database, beside the engine's, closed when the test ends. */
export function siteQuery(place: Site['place']): SiteQuery {
  if ('dataDir' in place) {
    const db = new Database(join(place.dataDir, 'hookbench.sqlite'));
    db.pragma('busy_timeout = 10000');
    onTestFinished(() => void db.close());
    return async <T>(text: string, params: unknown[] = []) => {
      const order = [...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
      const statement = db.prepare(text.replace(/\$\d+/g, '?'));
      const values = order.map((i) => (typeof params[i] === 'boolean' ? Number(params[i]) : params[i]));
      return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[];
    };
  }
  const pool = new pg.Pool({ connectionString: place.databaseUrl, max: 1 });
  onTestFinished(() => pool.end());
  return async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[];
}

/** The first column of every row, as numbers (PostgreSQL answers a bigint or a count as text). */
export async function numbers(query: SiteQuery, text: string, params: unknown[] = []): Promise<number[]> {
  return (await query<Record<string, unknown>>(text, params)).map((row) => Number(Object.values(row)[0]));
}
