import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { bundledMigrations, migrate } from '../../src/main/engine/db/migrate';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import type { MethodName } from '../../src/shared/contract';
import type { Page } from '../../src/shared/paging';
import type { EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { pagedListCalls } from '../helpers/paged-list-calls';
import { seedActivity, seedAttempts, seedDeliveries, seedReleases } from '../helpers/seed-rows';

describe('paged lists read through indexes', () => {
  it('every page and total of every list is an index search: no table scanned, no OFFSET', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const call = (method: MethodName, params: object) => engine.invoke(method, params);
    const pkg = (await call('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7' })) as PackageCreated;
    const inbox = (await call('inboxes.add', { name: 'in', dialect: 'none' })) as InboxCreated;
    const endpoint = (await call('endpoints.add', { name: 'e', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] })) as EndpointSecret;
    seedDeliveries(dataDir, inbox.id, 300, (i) => ({ event: i % 2 ? 'a' : 'b', verdict: 'valid' }));
    seedDeliveries(dataDir, pkg.hookUrl.split('/').at(-1)!, 120, () => ({ packageId: pkg.id }));
    seedActivity(dataDir, 300, pkg.id);
    seedAttempts(dataDir, endpoint.id, 300);
    seedReleases(dataDir, pkg.id, 300);

    const calls = pagedListCalls({ packageId: pkg.id, endpointId: endpoint.id, inboxId: inbox.id });
    const prepare = vi.spyOn(engine.db.$client, 'prepare');
    for (const [method, params] of calls) {
      prepare.mockClear();
      const first = (await call(method, { ...params, limit: 50, total: true })) as Page<unknown>;
      expect(first.nextCursor, method).not.toBeNull();
      const before = prepare.mock.calls.length;
      await call(method, { ...params, limit: 50, cursor: first.nextCursor });
      // A page without its total reads only its rows: nothing that grows with the list (a summary's count), so streaming stays linear.
      const unbounded = prepare.mock.calls
        .slice(before)
        .map(([sql]) => sql)
        .filter((sql) => /\b(deliveries|activity|attempts|messages|releases)\b/.test(sql) && !/\blimit\b/i.test(sql));
      expect(unbounded, method).toEqual([]);
      const statements = prepare.mock.calls.map(([sql]) => sql).filter((sql) => /\b(deliveries|activity|attempts|messages|releases|list_totals)\b/.test(sql));
      expect(statements.length, method).toBeGreaterThan(0);
      for (const sql of statements) {
        expect(sql, method).not.toMatch(/\boffset\b/i);
        const plan = explain(engine, sql);
        const scans = plan.filter((step) => /^SCAN /.test(step) && !/^SCAN CONSTANT ROW/.test(step));
        expect(scans, `${method}: ${sql}\n${plan.join('\n')}`).toEqual([]);
        // Pages come out of an index in list order (a time range's too: ids walked newest first), never sorted afterwards.
        expect(
          plan.filter((step) => /TEMP B-TREE/.test(step)),
          `${method}: ${sql}\n${plan.join('\n')}`,
        ).toEqual([]);
      }
    }
    prepare.mockRestore();
  });

  it("keeps the whole feed's total without counting it: rows there before the upgrade, added and deleted after", async () => {
    const dataDir = tempDataDir();
    const db = new Database(join(dataDir, DATABASE_FILE));
    migrate(
      db,
      bundledMigrations.filter((m) => m.tag !== '0012_list_paging'),
    );
    const add = db.prepare("INSERT INTO activity (at, package_id, kind, message) VALUES (0, NULL, 'tunnel_created', 'Tunnel created.')");
    for (let i = 0; i < 7; i++) add.run();
    migrate(db);
    db.close();

    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const total = async () => ((await engine.invoke('activity.page', { limit: 1, total: true })) as Page<unknown>).total;
    expect(await total()).toBe(7);
    seedActivity(dataDir, 30);
    await engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '8' });
    expect(await total()).toBe(38);
    // Rows deleted by any means (a pruning, by hand) leave the total true.
    engine.db.$client.prepare('DELETE FROM activity WHERE id % 2 = 0').run();
    const counted = (engine.db.$client.prepare('SELECT count(*) AS n FROM activity').get() as { n: number }).n;
    expect(counted).toBe(19);
    expect(await total()).toBe(counted);
  });
});

describe('deleting and pruning deliveries', () => {
  it('finds the releases that name them through an index, never by reading every release', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const pkg = (await engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '9' })) as PackageCreated;
    const ids = seedDeliveries(dataDir, pkg.hookUrl.split('/').at(-1)!, 200, () => ({ packageId: pkg.id }));
    seedReleases(dataDir, pkg.id, 300);
    const sqlite = engine.db.$client;
    sqlite.prepare('UPDATE releases SET delivery_id = ? WHERE id = (SELECT min(id) FROM releases)').run(ids[0]);
    const prepare = vi.spyOn(sqlite, 'prepare');
    await engine.invoke('deliveries.delete', { ids: ids.slice(0, 50), includeLinked: true });
    await engine.invoke('retention.set', { maxDeliveries: 10 });
    await engine.invoke('retention.prune', {});
    const touching = prepare.mock.calls.map(([sql]) => sql).filter((sql) => /\breleases\b/.test(sql) && /\bdelivery_id\b/.test(sql));
    prepare.mockRestore();
    // At 350,000 releases a prune slice spent most of its time reading them: 245 deliveries a second instead of over a thousand.
    expect(touching.length).toBeGreaterThan(0);
    for (const sql of touching) {
      const plan = explain(engine, sql);
      expect(
        plan.filter((step) => /^SCAN releases/.test(step)),
        `${sql}\n${plan.join('\n')}`,
      ).toEqual([]);
    }
    expect(sqlite.prepare('SELECT count(*) AS n FROM deliveries').get()).toEqual({ n: 10 });
    // The release that named a deleted delivery stays, without the link.
    expect(sqlite.prepare('SELECT count(*) AS n, count(delivery_id) AS linked FROM releases').get()).toEqual({ n: 300, linked: 0 });
  });
});

describe('a jump deep into the deliveries', () => {
  it('reads its page from the row it jumped to, not down from the top of the list', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const ids = seedDeliveries(dataDir, 'in_jump', 500);
    const prepare = vi.spyOn(engine.db.$client, 'prepare');
    const page = (await engine.invoke('deliveries.list', { offset: 400, limit: 20 })) as { id: number }[];
    expect(page.map((d) => d.id)).toEqual(ids.slice(80, 100).reverse());
    // SQLite starts a rowid range from one bound: given the list's top as well as the row found,
    // it started from the top and read every row above the jump, bodies and all (284 ms against 8 at a million rows).
    const read = prepare.mock.calls.map(([sql]) => sql).find((sql) => /select "id", "hook_id"/.test(sql))!;
    expect(read.match(/"deliveries"\."id" <=? \?/g)).toHaveLength(1);
    prepare.mockRestore();
  });
});

describe('the total of every delivery', () => {
  it('is kept by the table itself: rows there before the upgrade, received, imported and deleted after', async () => {
    const dataDir = tempDataDir();
    const db = new Database(join(dataDir, DATABASE_FILE));
    migrate(
      db,
      bundledMigrations.filter((m) => m.tag !== '0019_ui_delivery_counts'),
    );
    db.close();
    const inbox = 'in_before';
    seedDeliveries(dataDir, inbox, 7);
    const upgraded = new Database(join(dataDir, DATABASE_FILE));
    migrate(upgraded);
    upgraded.close();

    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const total = async () => ((await engine.invoke('deliveries.page', { limit: 1, total: true })) as Page<unknown>).total;
    const counted = () => (engine.db.$client.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
    expect(await total()).toBe(7);
    seedDeliveries(dataDir, inbox, 30);
    expect(await total()).toBe(37);
    engine.db.$client.prepare('DELETE FROM deliveries WHERE id % 2 = 0').run();
    expect(counted()).toBe(19);
    expect(await total()).toBe(counted());
    expect(await engine.invoke('deliveries.count', {})).toEqual({ count: counted() });
  });
});

/** The plan's steps, with every parameter bound to null (plans do not depend on values here). */
function explain(engine: ReturnType<typeof createEngine>, sql: string): string[] {
  const statement = engine.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (statement.all(...params) as { detail: string }[]).map((r) => r.detail);
}
