import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import type { PruneReport } from '../../src/shared/retention-types';
import type { AttemptView, DeliverySummary, MessageView } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { runCli } from '../helpers/serve-process';
import { numbers, siteQuery, type SiteQuery } from '../helpers/site-query';
import { waitUntil } from '../helpers/wait-until';

const DAY = 86_400_000;
const NOW = Date.now();

const startSite = engineSites();

/** Rows written straight into the store, with the times and sizes a test needs. */
function seed(query: SiteQuery) {
  const one = async (sql: string, params: unknown[]) => (await numbers(query, sql, params))[0]!;
  return {
    delivery: (hookId: string, packageId: string | null, ageMs: number, bytes = 1024, outcome = 'ignored') =>
      one(
        `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
         VALUES ($1, $2, $3, 'direct', '[]', $4, $5, 'valid', 202, $6) RETURNING id`,
        [hookId, packageId, NOW - ageMs, Buffer.alloc(bytes, 1), bytes, outcome],
      ),
    message: (endpointId: string, ageMs: number, state: string) =>
      one(
        `INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, attempt_count, created_at, updated_at)
         VALUES ($1, $2, 'ping', $3, 'application/json', 'trigger', $4, 0, $5, $5) RETURNING id`,
        [`msg_${Math.random()}`, endpointId, Buffer.alloc(2048, 2), state, NOW - ageMs],
      ),
    attempt: (messageRowId: number, endpointId: string, ageMs: number) =>
      one(
        `INSERT INTO attempts (message_row_id, endpoint_id, attempt_no, trigger, started_at, url, request_headers, succeeded)
         VALUES ($1, $2, 1, 'scheduled', $3, 'http://127.0.0.1:9/', '[]', $4) RETURNING id`,
        [messageRowId, endpointId, NOW - ageMs, false],
      ),
    release: (packageId: string, deliveryId: number) =>
      query(`INSERT INTO releases (package_id, tag, version, prerelease, status, delivery_id, created_at, updated_at) VALUES ($1, 'v1.0.0', '1.0.0', $2, 'published', $3, 0, 0)`, [
        packageId,
        false,
        deliveryId,
      ]),
  };
}

async function addPkg(engine: Pick<Engine, 'invoke'>, repo: string, repoId: string) {
  const created = (await engine.invoke('packages.add', { provider: 'github', repo, repoId })) as { id: string; hookUrl: string };
  return { id: created.id, hookId: created.hookUrl.split('/').at(-1)! };
}

/** The ids of the stored deliveries matching a filter, as the API lists them, oldest first. */
const ids = async (engine: SiteEngine, filter: { packageId?: string; hookId?: string }) =>
  ((await engine.invoke('deliveries.list', { ...filter, limit: 1000 })) as DeliverySummary[]).map((d) => d.id).sort((a, b) => a - b);
const ascending = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

// On both stores: the desktop's data dir and a team server's database (its CLI through --server).
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('retention', () => {
    it('prunes by age, count and size per package, inbox and endpoint, and never what the user pinned', async () => {
      // No background pruning: every prune here is the test's own.
      const site = await startSite(kind, { workers: false });
      const { engine } = site;
      const query = siteQuery(site.place);
      const pkg = await addPkg(engine, 'octo/old', '1');
      const big = await addPkg(engine, 'octo/big', '2');
      const forever = await addPkg(engine, 'octo/forever', '3');
      const inbox = (await engine.invoke('inboxes.add', { name: 'busy', dialect: 'none' })) as { id: string };
      const endpoint = (await engine.invoke('endpoints.add', { name: 'sink', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] })) as { id: string };
      const put = seed(query);
      const many = async (n: number, row: (i: number) => Promise<number>) => {
        const made: number[] = [];
        for (let i = 0; i < n; i++) made.push(await row(i));
        return made;
      };

      // Ten days of deliveries, one a day; three of the old ones pinned three ways, one still pending.
      const daily = await many(10, (i) => put.delivery(pkg.hookId, pkg.id, i * DAY + 1000));
      const [keptByUser, savedAsFixture, linkedToRelease] = [daily[7]!, daily[8]!, daily[9]!];
      const pending = await put.delivery(pkg.hookId, pkg.id, 9 * DAY, 1024, 'pending');
      await engine.invoke('deliveries.keep', { id: keptByUser, keep: true });
      await engine.invoke('fixtures.save', { ref: String(savedAsFixture), name: 'kept' });
      await put.release(pkg.id, linkedToRelease);
      // 300 KB bodies: a 1 MB limit keeps the newest three.
      const large = await many(10, (i) => put.delivery(big.hookId, big.id, (10 - i) * 60_000, 300 * 1024));
      const ancient = await many(3, () => put.delivery(forever.hookId, forever.id, 400 * DAY));
      const captures = await many(20, (i) => put.delivery(inbox.id, null, (20 - i) * 1000));
      const finished = await many(6, () => put.message(endpoint.id, 8 * DAY, 'succeeded'));
      const recent = await put.message(endpoint.id, DAY, 'failed');
      const retrying = await put.message(endpoint.id, 8 * DAY, 'pending');
      const oldTry = await put.attempt(retrying, endpoint.id, 8 * DAY);
      const newTry = await put.attempt(retrying, endpoint.id, 1000);

      await engine.invoke('retention.set', { days: 5 });
      await engine.invoke('retention.set', { scope: 'inbox', id: inbox.id, maxDeliveries: 5 });
      await engine.invoke('retention.set', { scope: 'package', id: big.id, maxBytes: 1024 ** 2 });
      await engine.invoke('retention.set', { scope: 'package', id: forever.id, forever: true });

      const dry = (await engine.invoke('retention.prune', { dryRun: true })) as PruneReport;
      const scope = (r: PruneReport, id: string) => r.scopes.find((s) => s.id === id);
      expect(scope(dry, pkg.id)).toMatchObject({ rows: 2, pinned: 3, bytes: 2048 });
      expect(scope(dry, big.id)).toMatchObject({ rows: 7, bytes: 7 * 300 * 1024, pinned: 0 });
      expect(scope(dry, inbox.id)).toMatchObject({ scope: 'inbox', name: 'busy', rows: 15 });
      expect(scope(dry, endpoint.id)).toMatchObject({ scope: 'endpoint', rows: 6, attempts: 1 });
      expect(scope(dry, forever.id)).toBeUndefined();
      // A dry run removes nothing.
      expect(await ids(engine, { packageId: pkg.id })).toHaveLength(11);

      const done = (await engine.invoke('retention.prune', {})) as PruneReport;
      expect(done.total).toEqual({ rows: 2 + 7 + 15 + 6, bytes: dry.total.bytes, attempts: 1, pinned: 3 });
      expect(await ids(engine, { packageId: pkg.id })).toEqual([...daily.slice(0, 5), keptByUser, savedAsFixture, linkedToRelease, pending].sort((a, b) => a - b));
      expect(await ids(engine, { packageId: big.id })).toEqual(large.slice(7));
      expect(await ids(engine, { packageId: forever.id })).toEqual(ancient);
      expect(await ids(engine, { hookId: inbox.id })).toEqual(captures.slice(15));
      const messages = ascending((await engine.invoke('endpoints.messages', { id: endpoint.id, limit: 100 })) as MessageView[]);
      expect(messages).toEqual([recent, retrying]);
      expect(finished.every((id) => !messages.includes(id))).toBe(true);
      expect(ascending((await engine.invoke('endpoints.attempts', { id: endpoint.id, limit: 100 })) as AttemptView[])).toEqual([newTry]);
      expect(oldTry).toBeLessThan(newTry);
      if (kind === 'sqlite') {
        // The freed pages went back to the volume (a data dir's own file; a server's database leaves its disk to autovacuum).
        expect(done.vacuum).toBe('incremental');
        expect(done.freedBytes).toBeGreaterThan(2 * 1024 ** 2);
        expect(await numbers(query, 'PRAGMA freelist_count')).toEqual([0]);
      } else {
        expect(done.vacuum).toBe('server');
      }
      // The feed says what went.
      const feed = (await engine.invoke('activity.list', { limit: 5 })) as { kind: string; message: string }[];
      expect(feed[0]).toMatchObject({ kind: 'pruned' });
      expect(feed[0]!.message).toContain('Retention removed 30 deliveries and messages');

      // Unmarked, the delivery kept by the user goes at the next prune.
      await engine.invoke('deliveries.keep', { id: keptByUser, keep: false });
      const again = (await engine.invoke('retention.prune', {})) as PruneReport;
      expect(again.total).toMatchObject({ rows: 1, pinned: 2 });
      expect(await ids(engine, { packageId: pkg.id })).not.toContain(keptByUser);
    });

    it('keeps everything by default, and the serving process applies a new policy by itself', async () => {
      const site = await startSite(kind);
      const { engine } = site;
      const pkg = await addPkg(engine, 'octo/a', '7');
      const put = seed(siteQuery(site.place));
      const rows: number[] = [];
      for (let i = 0; i < 50; i++) rows.push(await put.delivery(pkg.hookId, pkg.id, (100 - i) * DAY));
      const dry = (await engine.invoke('retention.prune', { dryRun: true })) as PruneReport;
      expect(dry.total.rows).toBe(0);
      await engine.invoke('retention.set', { scope: 'package', id: pkg.id, maxDeliveries: 10 });
      await waitUntil(
        () => ids(engine, { packageId: pkg.id }),
        (left) => left.length === 10,
      );
      expect(await ids(engine, { packageId: pkg.id })).toEqual(rows.slice(40));
    });

    it('sets, shows and prunes from the command line, and refuses what makes no sense', async () => {
      // No background pruning: the CLI's prune is the only one.
      const site = await startSite(kind, { workers: false });
      const pkg = await addPkg(site.engine, 'octo/cli', '9');
      const put = seed(siteQuery(site.place));
      const old = [await put.delivery(pkg.hookId, pkg.id, 40 * DAY), await put.delivery(pkg.hookId, pkg.id, 40 * DAY)];
      const { cli } = site;

      expect((await cli('retention', 'set', '--package', pkg.id, '--days', '30')).stdout).toContain('30 days');
      expect((await cli('delivery', 'keep', String(old[0]))).stdout).toContain(`Delivery #${old[0]} is kept`);
      const dry = await cli('prune', '--dry-run', '--json');
      expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, total: { rows: 1, pinned: 1 } });
      const human = await cli('prune');
      expect(human.stdout).toContain('In all: 1 deliveries and messages');
      const status = await cli('status');
      expect(status.stdout).toContain('Next prune nothing; 1 past the policy kept as pinned');
      const show = await cli('retention', 'show');
      expect(show.stdout).toMatch(/package +octo\/cli .*30 days/);

      const bad = await cli('retention', 'set', '--package', pkg.id, '--inbox', 'x', '--days', '3');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('Name one of --package, --inbox or --endpoint');
      const zero = await cli('retention', 'set', '--days', '0');
      expect(zero.code).toBe(2);
      const missing = await cli('retention', 'set', '--package', 'nope', '--days', '3');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No package with id nope');
      const left = JSON.parse((await cli('delivery', 'list', '--json')).stdout) as { items: DeliverySummary[] };
      expect(left.items.map((d) => d.id)).toEqual([old[0]]);
    }, 120_000);
  });
});

// SQLite's by nature: a data dir's file made before auto-vacuum, and the space it gives back to the volume.
describe('a database made before pruning gave space back', () => {
  it('is converted once by prune while nothing else has it open, and then gives the space back', async () => {
    const engine = createEngine({ dataDir: tempDataDir() });
    onTestFinished(() => engine.close());
    const dir = engine.dataDir;
    const pkg = await addPkg(engine, 'octo/older', '11');
    const insert = engine.db.$client.prepare(
      `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
       VALUES (?, ?, ?, 'direct', '[]', ?, ?, 'valid', 202, 'ignored')`,
    );
    for (let i = 0; i < 400; i++) insert.run(pkg.hookId, pkg.id, NOW - 60 * DAY, Buffer.alloc(8 * 1024, 1), 8 * 1024);
    // As an earlier version made it: no auto-vacuum.
    engine.db.$client.pragma('auto_vacuum = NONE');
    engine.db.$client.exec('VACUUM');
    expect(((await engine.invoke('retention.show', {})) as { vacuum: string }).vacuum).toBe('needs-conversion');
    await engine.close();
    const file = `${dir}/hookbench.sqlite`;
    const sizeOf = () => {
      const raw = new Database(file, { readonly: true });
      try {
        return (raw.pragma('page_count', { simple: true }) as number) * (raw.pragma('page_size', { simple: true }) as number);
      } finally {
        raw.close();
      }
    };
    const before = sizeOf();
    expect((await runCli(['retention', 'set', '--days', '30', '--data-dir', dir])).stdout).toContain('given back to the volume once the database is converted');
    const pruned = await runCli(['prune', '--json', '--data-dir', dir]);
    expect(pruned.code).toBe(0);
    const report = JSON.parse(pruned.stdout) as PruneReport;
    expect(report).toMatchObject({ vacuum: 'incremental', total: { rows: 400 } });
    expect(report.freedBytes).toBeGreaterThan(3 * 1024 ** 2);
    expect(sizeOf()).toBeLessThan(before - 3 * 1024 ** 2);
    expect((await runCli(['retention', 'show', '--data-dir', dir])).stdout).toContain('incremental auto-vacuum');
  }, 120_000);
});
