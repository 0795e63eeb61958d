import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as declared from '../../src/main/engine/db/schema';
import { POSTGRES_OWN_TABLES } from '../../src/main/engine/db/pg/own-tables';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { postgresMigrations } from '../../src/main/engine/db/pg/migrate';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

// The store's own bookkeeping, kept by its triggers; every other table is a declared one.
const OWN_TABLES = new Set<string>(Object.values(POSTGRES_OWN_TABLES));
const sqliteTables = (Object.values(declared) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));

describe('the team server schema on PostgreSQL', () => {
  it('has every table and column the SQLite declaration has, with bodies as bytes and times as numbers', async () => {
    const db = await openPostgres(cluster.createDatabase('schema_shape'));
    try {
      const { rows } = await db.$client.query<{ table_name: string; column_name: string; data_type: string }>(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
      );
      const inPostgres = new Map<string, Map<string, string>>();
      for (const row of rows.filter((r) => !OWN_TABLES.has(r.table_name))) inPostgres.set(row.table_name, (inPostgres.get(row.table_name) ?? new Map()).set(row.column_name, row.data_type));
      expect([...inPostgres.keys()].sort()).toEqual(sqliteTables.map((t) => getTableConfig(t).name).sort());
      for (const table of sqliteTables) {
        const config = getTableConfig(table);
        expect([...(inPostgres.get(config.name)?.keys() ?? [])].sort(), config.name).toEqual(config.columns.map((c) => c.name).sort());
      }
      expect(inPostgres.get('deliveries')?.get('body')).toBe('bytea');
      expect(inPostgres.get('deliveries')?.get('received_at')).toBe('bigint');
      // Exact bytes and millisecond times survive the round trip.
      const body = Buffer.from([0, 255, 1, 0xc3, 0x28, 10]);
      const inserted = await db.$client.query<{ id: number; body: Buffer; received_at: number }>(
        "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('h', $1, 'direct', '[]', $2, 6, 'valid', 202, 'pending') RETURNING id, body, received_at",
        [1_764_900_000_123, body],
      );
      expect(inserted.rows[0]).toEqual({ id: 1, body, received_at: 1_764_900_000_123 });
    } finally {
      await db.$client.end();
    }
  });

  it('keeps the same dedupe rule: one stored delivery per provider id, forged copies aside', async () => {
    const db = await openPostgres(cluster.createDatabase('schema_dedupe'));
    const insert = (outcome: string) =>
      db.$client.query(
        "INSERT INTO deliveries (hook_id, provider_delivery_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('h', 'd-1', 1, 'direct', '[]', '\\x00', 1, 'valid', 202, $1) ON CONFLICT DO NOTHING RETURNING id",
        [outcome],
      );
    try {
      expect((await insert('rejected')).rowCount).toBe(1);
      expect((await insert('pending')).rowCount).toBe(1);
      expect((await insert('pending')).rowCount).toBe(0);
    } finally {
      await db.$client.end();
    }
  });

  it('lets several instances start at once: one migrates, the others find it done', async () => {
    const url = cluster.createDatabase('schema_race');
    const opened = await Promise.all([openPostgres(url), openPostgres(url), openPostgres(url)]);
    try {
      const { rows } = await opened[0]!.$client.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]!.n).toBe(postgresMigrations.length);
    } finally {
      await Promise.all(opened.map((db) => db.$client.end()));
    }
  });

  it('refuses a database written by a newer Hookbench, and leaves it as it is', async () => {
    const url = cluster.createDatabase('schema_newer');
    await (await openPostgres(url)).$client.end();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("INSERT INTO schema_migrations VALUES (999, '0999_future', 'x', 0)");
    await expect(openPostgres(url)).rejects.toThrow(/This database was written by a newer Hookbench \(schema 999 "0999_future"/);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]!.n).toBe(postgresMigrations.length + 1);
    await client.end();
  });
});
