import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeliveryDetail, Release } from '../../src/shared/types';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { gitlabHeaders, gitlabTagPush } from '../helpers/payloads';

const PROJECT_ID = 15;

const startSite = engineSites();

async function setup(kind: EngineKind, now?: () => number) {
  const { engine, receiverUrl } = await startSite(kind, now ? { now } : {});
  const pkg = await addPackage(engine, 'gitlab', PROJECT_ID, 'jsmith/example');
  const url = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  const releases = async () => (await engine.invoke('releases.list', { packageId: pkg.id })) as Release[];
  const delivery = async (id: number) => (await engine.invoke('deliveries.get', { id })) as DeliveryDetail;
  return { engine, pkg, url, releases, delivery };
}

/** GitLab's signing-token scheme (Standard Webhooks), computed independently of the engine. */
function standardSignature(token: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(token.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('GitLab Tag Push Hook', () => {
    it('ingests a tag push verified by X-Gitlab-Token', async () => {
      const t = await setup(kind);
      const res = await post(t.url, JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0')), gitlabHeaders('Tag Push Hook', t.pkg.secret));
      expect(res.status).toBe(202);
      await t.engine.ingest.idle();
      expect(await t.releases()).toMatchObject([{ tag: 'v1.0.0', status: 'published', commitSha: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7' }]);
    });

    it('refuses a wrong token without keeping either token', async () => {
      const t = await setup(kind);
      const res = await post(t.url, JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0')), gitlabHeaders('Tag Push Hook', 'guess'));
      expect(res.status).toBe(403);
      const d = await t.delivery(res.json.delivery as number);
      expect(d.verdictDetail).toMatchObject({ header: 'X-Gitlab-Token' });
      expect(d.verdictDetail).toMatchObject({ expected: `${t.pkg.secret.length} characters (not shown)`, received: '5 characters (not shown)' });
      expect(JSON.stringify(d.verdictDetail)).not.toContain(t.pkg.secret);
    });

    it('verifies the Standard-Webhooks signing token and rejects a stale timestamp with the skew', async () => {
      const now = Date.now();
      const t = await setup(kind, () => now);
      const body = JSON.stringify(gitlabTagPush(PROJECT_ID, 'v2.0.0'));
      const id = randomUUID();
      const signed = (ts: number) => ({
        'content-type': 'application/json',
        'x-gitlab-event': 'Tag Push Hook',
        'idempotency-key': randomUUID(),
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${standardSignature(t.pkg.signingToken, id, ts, body)}`,
      });
      const fresh = await post(t.url, body, signed(Math.floor(now / 1000)));
      expect(fresh.status).toBe(202);
      const stale = await post(t.url, body, signed(Math.floor(now / 1000) - 3600));
      expect(stale.status).toBe(403);
      expect(stale.json.reason).toMatch(/3600 s old; the tolerance is 300 s/);
    });

    it('dedupes on Idempotency-Key, else on X-Gitlab-Event-UUID', async () => {
      const t = await setup(kind);
      const body = JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0'));
      const headers = gitlabHeaders('Tag Push Hook', t.pkg.secret, 'key-1');
      expect((await post(t.url, body, headers)).status).toBe(202);
      // A retry: GitLab keeps the Idempotency-Key and mints a new webhook UUID.
      expect((await post(t.url, body, { ...headers, 'x-gitlab-webhook-uuid': randomUUID() })).json).toMatchObject({ duplicate: true });

      const { 'idempotency-key': _none, ...older } = gitlabHeaders('Tag Push Hook', t.pkg.secret);
      const other = JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.1.0'));
      expect((await post(t.url, other, older)).status).toBe(202);
      expect((await post(t.url, other, older)).status).toBe(200);
      await t.engine.ingest.idle();
      expect((await t.releases()).map((r) => r.tag).sort()).toEqual(['v1.0.0', 'v1.1.0']);
    });

    it('refuses a payload for another project and ignores branch pushes', async () => {
      const t = await setup(kind);
      const foreign = await post(t.url, JSON.stringify(gitlabTagPush(99, 'v1.0.0')), gitlabHeaders('Tag Push Hook', t.pkg.secret));
      expect(foreign.status).toBe(422);
      const branch = { ...gitlabTagPush(PROJECT_ID, 'x'), object_kind: 'push', ref: 'refs/heads/main' };
      const pushed = await post(t.url, JSON.stringify(branch), gitlabHeaders('Push Hook', t.pkg.secret));
      expect(pushed.status).toBe(202);
      expect((await t.delivery(pushed.json.delivery as number)).outcome).toBe('ignored');
    });

    it('marks a deleted tag (after all zeros) as tag-deleted', async () => {
      const t = await setup(kind);
      await post(t.url, JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0')), gitlabHeaders('Tag Push Hook', t.pkg.secret));
      await t.engine.ingest.idle();
      await post(t.url, JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0', { deleted: true })), gitlabHeaders('Tag Push Hook', t.pkg.secret));
      await t.engine.ingest.idle();
      expect((await t.releases())[0]?.status).toBe('tag_deleted');
    });
  });
});
