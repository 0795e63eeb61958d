import { describe, expect, it } from 'vitest';
import type { ActivityEntry, CatchUpResult, ConnectionAdded, DeliveryDetail, PackageConnected, Release } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { fakeGitHub, nextActivity, providerSite } from '../fakes/harness';

const REPO = 'octo/widgets';

const startSite = engineSites();

async function setup(kind: EngineKind, providers: Parameters<typeof providerSite>[2] = {}) {
  const gh = await fakeGitHub();
  gh.addToken('ghp_good', { login: 'octocat', scopes: ['admin:repo_hook', 'repo'] });
  gh.addRepo(REPO, { id: 4242, admins: ['octocat'] });
  const { engine } = await providerSite(startSite, kind, providers);
  const conn = (await engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
  const verified = nextActivity(engine, 'hook_verified');
  const created = (await engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo: REPO })) as PackageConnected;
  await verified;
  const catchUp = () => engine.invoke('packages.catchUp', { id: created.id }) as Promise<CatchUpResult>;
  const releases = async () => ((await engine.invoke('releases.list', { packageId: created.id })) as Release[]).map((r) => r.tag).sort();
  return { gh, engine, created, catchUp, releases };
}

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('catch-up', () => {
    it("redelivers failed deliveries within GitHub's window, then ingests tags GitHub never sent, saying which came from reconciliation", async () => {
      const t = await setup(kind);
      // The workstation was off: GitHub's attempts failed.
      t.gh.state.outage = true;
      const [recent] = await t.gh.pushTags(REPO, ['v1.0.0']);
      const [old] = await t.gh.pushTags(REPO, ['v1.1.0']);
      t.gh.age(old!.guid, 4 * 86_400_000);
      t.gh.state.outage = false;
      // More than three tags at once: GitHub sends nothing at all.
      expect(await t.gh.pushTags(REPO, ['v2.0.0', 'v2.1.0', 'nightly', 'v1.2.0'])).toEqual([]);
      expect(recent!.status_code).toBe(502);

      const redelivered = t.gh.waitForDelivery((d) => d.guid === recent!.guid && d.redelivery);
      const result = await t.catchUp();
      expect(result.redelivered).toEqual([{ guid: recent!.guid, providerDeliveryId: String(recent!.id), event: 'push', tag: 'v1.0.0' }]);
      expect(result.notRedelivered).toEqual([{ guid: old!.guid, event: 'push', reason: expect.stringMatching(/outside GitHub's 3-day redelivery window; tag reconciliation covers/) }]);
      expect((await redelivered).status_code).toBe(202);
      expect(t.gh.log.some((r) => r.method === 'POST' && r.path === `/repos/${REPO}/hooks/${t.created.hook.providerHookId}/deliveries/${recent!.id}/attempts`)).toBe(true);

      // The redelivery arrived as GitHub's own signed copy, under the original delivery id.
      const copies = (await t.engine.invoke('deliveries.list', { packageId: t.created.id, source: 'direct', event: 'push' })) as DeliveryDetail[];
      expect(copies).toMatchObject([{ providerDeliveryId: recent!.guid, verdict: 'valid', outcome: 'ingested', tag: 'v1.0.0' }]);

      expect(result.tagsSeen).toBe(6);
      expect(result.notSemver).toEqual(['nightly']);
      expect(result.reconciled.map((r) => [r.tag, r.outcome])).toEqual([
        ['v1.1.0', 'ingested'],
        ['v1.2.0', 'ingested'],
        ['v2.0.0', 'ingested'],
        ['v2.1.0', 'ingested'],
      ]);
      expect(await t.releases()).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0', 'v2.1.0']);
      const imported = (await t.engine.invoke('deliveries.get', { id: result.reconciled[0]!.deliveryId })) as DeliveryDetail;
      expect(imported).toMatchObject({ source: 'import', verdict: 'unchecked', event: 'push', providerDeliveryId: expect.stringMatching(/^reconcile:v1\.1\.0@[0-9a-f]{40}$/) });
      expect(imported.headers).toContainEqual(['x-hookbench-reconciled', 'tags-api']);

      const feed = (await t.engine.invoke('activity.list', { packageId: t.created.id })) as ActivityEntry[];
      const reconciledFeed = feed.filter((a) => a.kind === 'reconciled');
      expect(reconciledFeed.map((a) => a.releaseId).sort()).toEqual(result.reconciled.map((r) => r.releaseId).sort());
      expect(reconciledFeed.map((a) => a.message)).toContain(
        `Release from tag v1.1.0 came from tag reconciliation: GitHub never delivered a push for it, so catch-up found it through the tags API (delivery #${result.reconciled[0]!.deliveryId}).`,
      );
      expect(feed.filter((a) => a.kind === 'redelivered').map((a) => a.message)).toEqual([expect.stringContaining(`redeliver push delivery ${recent!.guid} (tag v1.0.0)`)]);

      // Nothing is left: a second catch-up does nothing.
      const again = await t.catchUp();
      expect(again.redelivered).toEqual([]);
      expect(again.reconciled).toEqual([]);
      expect(again.messages[0]).toBe('No failed GitHub deliveries to redeliver.');
    });

    it('reconciles a tag whose redelivery never arrives', async () => {
      const t = await setup(kind, { redeliveryWaitMs: 50 });
      // Down when GitHub first tried, and still down when it redelivers.
      t.gh.state.outage = true;
      const [failed] = await t.gh.pushTags(REPO, ['v3.0.0']);
      const retried = t.gh.waitForDelivery((d) => d.guid === failed!.guid && d.redelivery);
      const result = await t.catchUp();
      expect(result.redelivered.map((r) => r.tag)).toEqual(['v3.0.0']);
      expect(result.messages.join(' ')).toContain(`Not arrived within 50 ms: ${failed!.guid}; their tags are reconciled instead.`);
      expect(result.reconciled.map((r) => [r.tag, r.outcome])).toEqual([['v3.0.0', 'ingested']]);
      expect((await retried).status_code).toBe(502);
    });
  });
});
