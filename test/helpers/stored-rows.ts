// Rows read (or changed) straight in a site's store, for the few checks the control API cannot make:
// what a secret looks like at rest, a change another process makes. The same SQL runs on both ($1-style parameters).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import type { Site } from './engine-sites';

export async function storedRows<T>(place: Site['place'], text: string, params: unknown[] = []): Promise<T[]> {
  if ('dataDir' in place) {
    const db = new Database(join(place.dataDir, DATABASE_FILE));
    try {
      db.pragma('busy_timeout = 10000');
      const order = [...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
      const statement = db.prepare(text.replace(/\$\d+/g, '?'));
      const values = order.map((i) => params[i]);
      if (statement.reader) return statement.all(...values) as T[];
      statement.run(...values);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: place.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
