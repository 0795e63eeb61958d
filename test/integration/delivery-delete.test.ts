import { describe, expect, it, onTestFinished } from 'vitest';
import type { DeliveryDeletion, DeliverySummary, PackageCreated, Release } from '../../src/shared/types';
import { startDeliveryLoad } from '../helpers/delivery-load';
import { ENGINE_KINDS, engineSites, type Site } from '../helpers/engine-sites';
import { githubBranchPush, githubHeaders, githubTagPush } from '../helpers/payloads';
import { numbers, siteQuery } from '../helpers/site-query';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 51;

const startSite = engineSites();

/** `hookbench ARGS --json` on the site, its answer parsed; any other exit fails the test with what it said. */
async function cliJson<T>(site: Site, ...args: string[]): Promise<T> {
  const run = await site.cli(...args, '--json');
  if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A package added from the CLI while the site's engine is running (on SQLite, a second process on its data dir), and its hook on the site's receiver. */
async function servedPackage(site: Site) {
  const pkg = await cliJson<PackageCreated>(site, 'package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', String(REPO_ID));
  return { pkg, hookUrl: `${site.receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}` };
}

// On both stores: the CLI on a data dir beside the running engine, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('delivery delete', () => {
    it('deletes by id or filter, keeps what a release or fixture links to unless told, and says so', async () => {
      const site = await startSite(kind);
      const { pkg, hookUrl } = await servedPackage(site);
      const list = (...filter: string[]) => cliJson<{ items: DeliverySummary[] }>(site, 'delivery', 'list', ...filter).then((p) => p.items);
      const send = async (body: string, secret = pkg.secret, event = 'push') => (await fetch(hookUrl, { method: 'POST', body, headers: await githubHeaders(event, body, secret) })).status;
      for (const tag of ['v1.0.0', 'v1.1.0']) expect(await send(JSON.stringify(githubTagPush(REPO_ID, tag)))).toBe(202);
      for (let i = 0; i < 3; i++) expect(await send(JSON.stringify(githubTagPush(REPO_ID, `v6.6.${i}`)), 'forged')).toBe(403);
      expect(await send(JSON.stringify(githubBranchPush(REPO_ID)))).toBe(202);
      await waitUntil(
        () => cliJson<{ items: Release[] }>(site, 'release', 'list', '--package', pkg.id).then((p) => p.items),
        (r) => r.length === 2,
      );
      const rejected = await list('--outcome', 'rejected');
      const saved = rejected[0]!.id;
      expect((await site.cli('fixture', 'save', String(saved), '--name', 'forged one')).code).toBe(0);

      const dry = await cliJson<DeliveryDeletion>(site, 'delivery', 'delete', '--outcome', 'rejected', '--dry-run');
      expect(dry).toMatchObject({ dryRun: true, matched: 3, deleted: 2, keptCount: 1, keptForFixture: [saved] });
      expect(await list('--outcome', 'rejected')).toHaveLength(3);

      const human = await site.cli('delivery', 'delete', '--outcome', 'rejected');
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('Deleted 2 of 3 matching deliveries.');
      expect(human.stdout).toContain(`a fixture was saved from it: ${saved}`);
      expect((await list('--outcome', 'rejected')).map((d) => d.id)).toEqual([saved]);

      const one = (await list('--outcome', 'ingested'))[0]!;
      const kept = await cliJson<DeliveryDeletion>(site, 'delivery', 'delete', String(one.id));
      expect(kept).toMatchObject({ deleted: 0, keptForRelease: [one.id] });
      const forced = await cliJson<DeliveryDeletion>(site, 'delivery', 'delete', String(one.id), '--include-linked');
      expect(forced).toMatchObject({ deleted: 1, linkedDeleted: 1 });
      expect((await site.cli('delivery', 'show', String(one.id))).code).toBe(1);
      // The release stays, with everything but the link.
      const releases = await cliJson<{ items: Release[] }>(site, 'release', 'list', '--package', pkg.id).then((p) => p.items);
      expect(releases.map((r) => r.tag).sort()).toEqual(['v1.0.0', 'v1.1.0']);

      const usage = await site.cli('delivery', 'delete');
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('delivery delete needs ids, or at least one of');
    }, 120_000);

    it('deletes thousands of rows while the receiver keeps acknowledging, losing none of the new ones', async () => {
      const site = await startSite(kind);
      const { pkg, hookUrl } = await servedPackage(site);
      const query = siteQuery(site.place);
      // Six thousand old imported rows, written in one statement.
      await query(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 5999)
         INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
         SELECT 'hook_old', 1600000000000 + i, 'import', '[]', $1, 1024, 'unchecked', 202, 'ignored' FROM n`,
        [Buffer.alloc(1024, 7)],
      );
      const load = startDeliveryLoad(hookUrl, pkg.secret, REPO_ID, 50);
      onTestFinished(() => load.stop().then(() => undefined));
      await waitUntil(
        async () => load.answers.length,
        (n) => n >= 10,
      );
      const result = await cliJson<DeliveryDeletion>(site, 'delivery', 'delete', '--before', '2021-01-01T00:00:00Z');
      expect(result).toMatchObject({ matched: 6000, deleted: 6000, keptCount: 0 });
      const answers = await load.stop();
      expect(answers.filter((a) => a.status !== 202)).toEqual([]);
      const stored = new Set(await numbers(query, 'SELECT id FROM deliveries'));
      expect(answers.filter((a) => !stored.has(a.rowId!))).toEqual([]);
      expect(await numbers(query, "SELECT count(*) FROM deliveries WHERE hook_id = 'hook_old'")).toEqual([0]);
    });
  });
});
