/**
 * After a tunnel gap: packages Hookbench manages upstream are caught up on request
 * (GitHub redelivers, tags are reconciled); the others are named with how to redeliver
 * at the provider.
 */
import { describe, expect, it } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { ConnectionAdded, PackageConnected, Release, TunnelCatchUp, TunnelCreated, TunnelGap } from '../../src/shared/types';
import { addPackage } from '../helpers/engine';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { startFakeSmee } from '../helpers/fake-smee';
import { githubHeaders } from '../helpers/payloads';
import { fakeGitHub, nextActivity } from '../fakes/harness';

type GapEvent = Extract<PushEvent, { type: 'tunnel_gap' }>;
type DeliveryEvent = Extract<PushEvent, { type: 'delivery' }>;
type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;
const REPO = 'octo/widgets';

const startSite = engineSites();

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('tunnel catch-up', () => {
    it('runs catch-up for managed packages at risk from a gap, lists the others with how to redeliver, and marks the gap caught up', { timeout: 60_000 }, async () => {
      const gh = await fakeGitHub();
      gh.addToken('ghp_good', { login: 'octocat', scopes: ['admin:repo_hook', 'repo'] });
      gh.addRepo(REPO, { id: 4242, admins: ['octocat'] });
      // The periodic upstream check is off: only catch-up asks GitHub here.
      const { engine } = await startSite(kind, { providers: { checkIntervalMs: 0, pollMs: 10, redeliveryWaitMs: 10_000 } });
      const conn = (await engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
      const verified = nextActivity(engine, 'hook_verified');
      const managed = (await engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo: REPO })) as PackageConnected;
      await verified;
      const byHand = await addPackage(engine, 'github', 99, 'acme/tools');

      const smee = await startFakeSmee({ pingIntervalMs: 100 });
      const connected = engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
      const created = (await engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
      await connected;
      // Each hook has taken an event through the channel: the packages a gap puts at risk (a team server's hook URLs stay on its own address).
      const tunnelled = engine.bus.waitFor((e): e is DeliveryEvent => e.type === 'delivery' && e.delivery.source === 'tunnel' && e.delivery.packageId === byHand.id);
      for (const pkg of [managed, byHand]) {
        const body = JSON.stringify({ zen: 'Anything added dilutes everything else.', hook_id: 1 });
        const answer = await smee.post(`${created.hookUrlBase}/hooks/${pkg.hookUrl.split('/hooks/')[1]!}`, body, await githubHeaders('ping', body, pkg.secret));
        expect(answer.status).toBe(200);
      }
      await tunnelled;

      // A tag pushed while the tunnel is down never arrives (here: GitHub's attempt fails).
      gh.state.outage = true;
      await gh.pushTags(REPO, ['v1.0.0']);
      gh.state.outage = false;
      const gapped = engine.bus.waitFor((e): e is GapEvent => e.type === 'tunnel_gap');
      smee.dropConnections();
      const gap: TunnelGap = (await gapped).gap;
      expect(gap.hooks.map((h) => [h.packageId, h.managed])).toEqual([
        [managed.id, true],
        [byHand.id, false],
      ]);
      expect(gap.hooks[0]!.advice).toMatch(/^Run catch-up \("hookbench tunnel catch-up"/);

      const result = (await engine.invoke('tunnel.catchUp', {})) as TunnelCatchUp;
      expect(result.failed).toEqual([]);
      expect(result.caughtUp.map((r) => r.id)).toEqual([managed.id]);
      expect(result.caughtUp[0]!.redelivered.map((r) => r.tag)).toEqual(['v1.0.0']);
      expect(result.byHand).toEqual([expect.objectContaining({ packageId: byHand.id, advice: expect.stringMatching(/^On GitHub, acme\/tools → Settings → Webhooks/) })]);
      expect(result.gaps[0]).toMatchObject({ from: gap.from, to: gap.to, caughtUpAt: expect.any(Number) });
      expect(((await engine.invoke('releases.list', { packageId: managed.id })) as Release[]).map((r) => r.tag)).toEqual(['v1.0.0']);

      // The gap is closed: nothing is left to catch up.
      const again = (await engine.invoke('tunnel.catchUp', {})) as TunnelCatchUp;
      expect(again.caughtUp).toEqual([]);
      expect(again.byHand).toEqual([]);
    });
  });
});
