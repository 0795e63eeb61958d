// Fresh, empty stores for the benches that compare SQLite with PostgreSQL, and how many deliveries each holds.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/** Deliveries stored in a data dir's database, read without disturbing anything that has it open. */
export function sqliteDeliveryCount(dir) {
  const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS n FROM deliveries').get().n;
  } finally {
    db.close();
  }
}

/** A scratch database on the server (needs CREATEDB): its URL, its delivery count, and how to drop it. */
export async function scratchPostgres(server, name) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stored: async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query('SELECT count(*)::int AS n FROM deliveries')).rows[0].n;
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
