import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { pagedListCalls } from '../helpers/paged-list-calls';
import type { MethodName } from '../../src/shared/contract';
import type { Page } from '../../src/shared/paging';
import type { EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { migratePostgres, postgresMigrations } from '../../src/main/engine/db/pg/migrate';
import { createTeamEngine, type TeamEngine } from '../../src/main/engine/team/team-engine';
import { sharedKeyBox } from '../helpers/engine-sites';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { pgSeedActivity, pgSeedAttempts, pgSeedDeliveries, pgSeedReleases } from '../helpers/pg-seed-rows';

// The PostgreSQL side of list-query-plans.test.ts: on a team server whose tables hold 200,000 rows,
// every list reads its pages and totals through an index, and deletes and prunes find releases by index.
const ROWS = 200_000;
const LISTED = /\b(deliveries|activity|attempts|messages|releases)\b/;

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

interface Statement {
  text: string;
  values: unknown[];
  /** Named statements are prepared once per connection, and may be run by a generic plan. */
  named: boolean;
}

/** Every statement the engine's pools send from now on (pg's Client is the one every pool uses), until the test ends. */
function recordStatements(): Statement[] {
  const seen: Statement[] = [];
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') seen.push({ text: first, values: Array.isArray(second) ? second : [], named: false });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[]; name?: string };
      seen.push({ text: config.text, values: Array.isArray(second) ? second : (config.values ?? []), named: Boolean(config.name) });
    }
    return query.apply(this, args);
  } as never);
  onTestFinished(() => spy.mockRestore());
  return seen;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, flattened. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The planner's plan for a statement with the values it was run with; a plan only (EXPLAIN without ANALYZE runs nothing). */
async function explain(client: pg.Client, statement: Statement): Promise<PlanNode[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
  return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
}

/** A value as an untyped literal (EXECUTE takes no bound parameters; the prepared statement gives each its type). */
const literal = (client: pg.Client, value: unknown): string =>
  value === null || value === undefined ? 'NULL' : client.escapeLiteral(Array.isArray(value) ? `{${value.map((v) => JSON.stringify(v)).join(',')}}` : String(value));

/**
 * The plan a named statement gets once PostgreSQL plans it for any values (after five runs on a
 * connection, when that plan costs no more than the ones made for the values given).
 */
async function explainGeneric(client: pg.Client, statement: Statement): Promise<PlanNode[]> {
  await client.query(`PREPARE hb_plan_check AS ${statement.text}`);
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    const args = statement.values.map((value) => literal(client, value)).join(', ');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE hb_plan_check${args ? `(${args})` : ''}`);
    return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
  } finally {
    await client.query('RESET plan_cache_mode');
    await client.query('DEALLOCATE hb_plan_check');
  }
}

const describePlan = (nodes: PlanNode[]) =>
  nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`).join('\n');

/** Scans that read a listed table whole. */
const offIndex = (nodes: PlanNode[]) => nodes.filter((n) => /Seq Scan/.test(n['Node Type']) && LISTED.test(n['Relation Name'] ?? ''));

describe('paged lists on a team server read through indexes', () => {
  let engine: TeamEngine;
  let databaseUrl: string;
  let explainer: pg.Client;
  let pkg: PackageCreated;
  let inbox: InboxCreated;
  let endpoint: EndpointSecret;
  let packageDeliveries: number[];

  beforeAll(async () => {
    // One team server for the file (its rows take seconds to write); its workers never start, so only the calls below query.
    databaseUrl = cluster.createDatabase('plans');
    engine = await createTeamEngine({ url: databaseUrl, box: sharedKeyBox() });
    const call = (method: MethodName, params: object) => engine.invoke(method, params);
    pkg = (await call('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7' })) as PackageCreated;
    inbox = (await call('inboxes.add', { name: 'in', dialect: 'none' })) as InboxCreated;
    endpoint = (await call('endpoints.add', { name: 'e', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] })) as EndpointSecret;
    const otherPackage = (await call('packages.add', { provider: 'github', repo: 'octo/gadgets', repoId: '8' })) as PackageCreated;
    const otherEndpoint = (await call('endpoints.add', { name: 'f', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] })) as EndpointSecret;
    // Most rows belong to others, received over months, as on a server a team has used for a while:
    // one package's, inbox's or endpoint's list, and one day of deliveries, are a small part of their table.
    const minute = 60_000;
    const monthsAgo = Date.now() - ROWS * minute;
    await pgSeedDeliveries(databaseUrl, otherPackage.hookUrl.split('/').at(-1)!, ROWS, (i) => ({
      packageId: otherPackage.id,
      outcome: 'ingested',
      event: 'push',
      verdict: 'valid',
      receivedAt: monthsAgo + i * minute,
    }));
    await pgSeedDeliveries(databaseUrl, inbox.id, 3000, (i) => ({ event: i % 2 ? 'a' : 'b', verdict: 'valid' }));
    packageDeliveries = await pgSeedDeliveries(databaseUrl, pkg.hookUrl.split('/').at(-1)!, 1200, () => ({ packageId: pkg.id, outcome: 'ingested' }));
    await pgSeedActivity(databaseUrl, ROWS, otherPackage.id);
    await pgSeedActivity(databaseUrl, 3000, pkg.id);
    await pgSeedAttempts(databaseUrl, otherEndpoint.id, ROWS);
    await pgSeedAttempts(databaseUrl, endpoint.id, 3000);
    await pgSeedReleases(databaseUrl, otherPackage.id, ROWS);
    await pgSeedReleases(databaseUrl, pkg.id, 3000);
    explainer = new pg.Client({ connectionString: databaseUrl });
    await explainer.connect();
    // What autovacuum does to a table this size soon after its rows arrive: statistics for the planner, and pages marked all-visible.
    await explainer.query('VACUUM ANALYZE');
  }, 120_000);

  afterAll(async () => {
    await explainer?.end();
    await engine?.close();
  });

  it('every page and total of every list is an index search: no table scanned, no OFFSET', async () => {
    const call = (method: MethodName, params: object) => engine.invoke(method, params);
    const calls = pagedListCalls({ packageId: pkg.id, endpointId: endpoint.id, inboxId: inbox.id });
    const seen = recordStatements();
    const problems: string[] = [];
    for (const [method, params] of calls) {
      seen.length = 0;
      const first = (await call(method, { ...params, limit: 50, total: true })) as Page<unknown>;
      expect(first.nextCursor, method).not.toBeNull();
      const before = seen.length;
      await call(method, { ...params, limit: 50, cursor: first.nextCursor });
      // A page without its total reads only its rows: nothing that grows with the list.
      const unbounded = seen.slice(before).filter((s) => LISTED.test(s.text) && !/\blimit\b/i.test(s.text));
      expect(
        unbounded.map((s) => s.text),
        method,
      ).toEqual([]);
      const statements = seen.filter((s) => LISTED.test(s.text) || /\blist_totals\b/.test(s.text));
      expect(statements.length, method).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement.text, method).not.toMatch(/\boffset\b/i);
        const plan = await explain(explainer, statement);
        if (offIndex(plan).length) problems.push(`${method} ${JSON.stringify(params)}: ${statement.text}\n${describePlan(plan)}`);
        const generic = statement.named ? await explainGeneric(explainer, statement) : [];
        if (offIndex(generic).length) problems.push(`${method} (generic plan) ${JSON.stringify(params)}: ${statement.text}\n${describePlan(generic)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('deleting and pruning deliveries finds the releases that name them through an index, never by reading every release', async () => {
    await explainer.query('UPDATE releases SET delivery_id = $1 WHERE id = (SELECT min(id) FROM releases)', [packageDeliveries[0]]);
    const seen = recordStatements();
    await engine.invoke('deliveries.delete', { ids: packageDeliveries.slice(0, 50), includeLinked: true });
    await engine.invoke('retention.set', { scope: 'package', id: pkg.id, maxDeliveries: 10 });
    await engine.invoke('retention.prune', {});
    const touching = seen.filter((s) => /\breleases\b/.test(s.text) && /\bdelivery_id\b/.test(s.text));
    expect(touching.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const statement of touching) {
      for (const plan of [await explain(explainer, statement), statement.named ? await explainGeneric(explainer, statement) : []]) {
        if (plan.some((n) => /Seq Scan/.test(n['Node Type']) && n['Relation Name'] === 'releases')) problems.push(`${statement.text}\n${describePlan(plan)}`);
      }
    }
    expect(problems).toEqual([]);
    const count = await explainer.query<{ n: number; linked: number }>('SELECT count(*)::int AS n, count(delivery_id)::int AS linked FROM releases');
    // The release that named a deleted delivery stays, without the link.
    expect(count.rows[0]).toEqual({ n: ROWS + 3000, linked: 0 });
    const left = await explainer.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries WHERE package_id = $1', [pkg.id]);
    expect(left.rows[0]).toEqual({ n: 10 });
  }, 120_000);
});

describe("the whole feed's total on a team server", () => {
  it('is kept without counting the feed: entries there before the upgrade, added by several connections, deleted and cleared after', async () => {
    const url = cluster.createDatabase('feed_total');
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    onTestFinished(() => pool.end());
    await migratePostgres(
      pool,
      postgresMigrations.filter((m) => m.tag !== '0004_activity_total_pg_plans'),
    );
    await pgSeedActivity(url, 7);
    await migratePostgres(pool);
    const engine = await createTeamEngine({ url, box: sharedKeyBox() });
    onTestFinished(() => engine.close());
    const total = async () => ((await engine.invoke('activity.page', { limit: 1, total: true })) as Page<unknown>).total;
    const counted = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM activity')).rows[0]!.n;
    expect(await total()).toBe(7);
    await Promise.all([pgSeedActivity(url, 30), pgSeedActivity(url, 20), engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '8' })]);
    expect(await counted()).toBe(58);
    expect(await total()).toBe(58);
    // Writers whose transactions are still open hold slots: another writer takes a free one instead of waiting.
    const open = await Promise.all([1, 2, 3].map(() => pool.connect()));
    for (const client of open) await client.query("BEGIN; INSERT INTO activity (at, kind, message) VALUES (0, 'tunnel_created', 'Tunnel created.')");
    await pgSeedActivity(url, 4);
    await engine.invoke('packages.add', { provider: 'github', repo: 'octo/gadgets', repoId: '9' });
    expect(await total()).toBe(63);
    for (const client of open) {
      await client.query('COMMIT');
      client.release();
    }
    expect(await total()).toBe(66);
    expect(await counted()).toBe(66);
    // Rows deleted by any means (a pruning, by hand) leave the total true.
    await pool.query('DELETE FROM activity WHERE id % 2 = 0');
    expect(await counted()).toBe(33);
    expect(await total()).toBe(33);
    await pool.query('TRUNCATE activity');
    expect(await total()).toBe(0);
    await pgSeedActivity(url, 3);
    expect(await total()).toBe(3);
  });
});
