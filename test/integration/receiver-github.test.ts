import { describe, expect, it } from 'vitest';
import type { ActivityEntry, DeliveryDetail, DeliverySummary, Release } from '../../src/shared/types';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteOptions } from '../helpers/engine-sites';
import { githubBranchPush, githubExample, githubHeaders, githubPing, githubTagDelete, githubTagPush } from '../helpers/payloads';

const REPO_ID = 186853002;

const startSite = engineSites();

async function setup(kind: EngineKind, options: SiteOptions = {}) {
  const { engine, receiverUrl } = await startSite(kind, options);
  const pkg = await addPackage(engine, 'github', REPO_ID);
  const url = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  const releases = async () => (await engine.invoke('releases.list', { packageId: pkg.id })) as Release[];
  const deliveries = async () => (await engine.invoke('deliveries.list', {})) as DeliverySummary[];
  const delivery = async (id: number) => (await engine.invoke('deliveries.get', { id })) as DeliveryDetail;
  const activity = async () => (await engine.invoke('activity.list', {})) as ActivityEntry[];
  const send = async (event: string, payload: unknown, opts: { delivery?: string; secret?: string } = {}) => {
    const body = JSON.stringify(payload);
    return post(url, body, await githubHeaders(event, body, opts.secret ?? pkg.secret, opts.delivery));
  };
  return { engine, pkg, url, releases, deliveries, delivery, activity, send };
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('GitHub tag push → release', () => {
    it('verifies, stores before answering, ingests and publishes a checked release', async () => {
      const t = await setup(kind);
      const res = await t.send('push', githubTagPush(REPO_ID, 'v1.4.2'));
      expect(res.status).toBe(202);
      // Stored before the answer: the row exists the moment the response is read.
      const stored = await t.delivery(res.json.delivery as number);
      expect(stored.verdict).toBe('valid');
      expect(stored.event).toBe('push');
      await t.engine.ingest.idle();
      const [release] = await t.releases();
      expect(release).toMatchObject({ tag: 'v1.4.2', version: '1.4.2', status: 'published', prerelease: false });
      expect(release!.checks.map((c) => [c.rule, c.passed])).toEqual([
        ['valid-semver', true],
        ['not-already-published', true],
        ['not-lower-than-latest-stable', true],
        ['prerelease-flagged', true],
      ]);
      expect((await t.delivery(stored.id)).outcome).toBe('ingested');
      expect((await t.activity()).map((a) => a.kind)).toContain('ingested');
    });

    it('keeps the exact bytes and headers it received', async () => {
      const t = await setup(kind);
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v2.0.0'), null, 2) + '\n';
      const headers = await githubHeaders('push', body, t.pkg.secret);
      const res = await post(t.url, body, headers);
      const stored = await t.delivery(res.json.delivery as number);
      expect(Buffer.from(stored.bodyBase64, 'base64').toString('utf8')).toBe(body);
      expect(stored.headers).toContainEqual(['x-hub-signature-256', headers['x-hub-signature-256']]);
    });

    it('accepts form-encoded deliveries, verifying the signature over the form body', async () => {
      const t = await setup(kind);
      const body = 'payload=' + encodeURIComponent(JSON.stringify(githubTagPush(REPO_ID, 'v3.1.0')));
      const headers = { ...(await githubHeaders('push', body, t.pkg.secret)), 'content-type': 'application/x-www-form-urlencoded' };
      expect((await post(t.url, body, headers)).status).toBe(202);
      await t.engine.ingest.idle();
      expect((await t.releases()).map((r) => r.version)).toEqual(['3.1.0']);
    });

    it('answers a repeated delivery id with 200 at once and ingests nothing twice', async () => {
      const t = await setup(kind);
      const payload = githubTagPush(REPO_ID, 'v1.0.0');
      const first = await t.send('push', payload, { delivery: 'd-1' });
      const again = await t.send('push', payload, { delivery: 'd-1' });
      expect(first.status).toBe(202);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ duplicate: true, duplicateOf: first.json.delivery });
      await t.engine.ingest.idle();
      expect(await t.releases()).toHaveLength(1);
      expect((await t.deliveries()).map((d) => d.outcome).sort()).toEqual(['duplicate', 'ingested']);
      expect((await t.activity()).some((a) => a.kind === 'duplicate')).toBe(true);
    });

    it('takes an empty delivery id for none: nothing is deduped on it, and the requests sharing its commit are all answered', async () => {
      const t = await setup(kind);
      const tags = ['v2.0.0', 'v2.0.1', 'v2.0.2', 'v2.0.3', 'v2.0.4', 'v2.0.5'];
      const answers = await Promise.all(tags.map((tag, i) => t.send('push', githubTagPush(REPO_ID, tag), { delivery: i % 2 ? `d-${tag}` : '' })));
      expect(answers.map((a) => a.status)).toEqual(tags.map(() => 202));
      const stored = await Promise.all(answers.map((a) => t.delivery(a.json.delivery as number)));
      expect(stored.map((d) => d.providerDeliveryId)).toEqual(tags.map((tag, i) => (i % 2 ? `d-${tag}` : null)));
      await t.engine.ingest.idle();
      expect((await t.releases()).map((r) => r.tag).sort()).toEqual(tags);
    });

    it('treats a fresh delivery for an already ingested tag as a no-op that says so', async () => {
      const t = await setup(kind);
      await t.send('push', githubTagPush(REPO_ID, 'v1.0.0'));
      await t.engine.ingest.idle();
      const res = await t.send('push', githubTagPush(REPO_ID, 'v1.0.0'));
      await t.engine.ingest.idle();
      const d = await t.delivery(res.json.delivery as number);
      expect(d.outcome).toBe('skipped');
      expect(d.outcomeReason).toMatch(/already ingested/);
      expect(await t.releases()).toHaveLength(1);
    });

    it('refuses a bad signature with 403 and records expected and received values', async () => {
      const t = await setup(kind);
      const res = await t.send('push', githubTagPush(REPO_ID, 'v1.0.0'), { secret: 'not the secret' });
      expect(res.status).toBe(403);
      const d = await t.delivery(res.json.delivery as number);
      expect(d).toMatchObject({ outcome: 'rejected', verdict: 'invalid', statusCode: 403 });
      expect(d.verdictDetail?.header).toBe('X-Hub-Signature-256');
      expect(d.verdictDetail?.expected).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(d.verdictDetail?.received).not.toBe(d.verdictDetail?.expected);
      expect(JSON.stringify(d)).not.toContain(t.pkg.secret);
      await t.engine.ingest.idle();
      expect(await t.releases()).toHaveLength(0);
      expect((await t.activity()).some((a) => a.kind === 'rejected')).toBe(true);
    });

    it('refuses a missing signature with 403, naming the header', async () => {
      const t = await setup(kind);
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
      const { 'x-hub-signature-256': _dropped, ...headers } = await githubHeaders('push', body, t.pkg.secret);
      const res = await post(t.url, body, headers);
      expect(res.status).toBe(403);
      expect(res.json.reason).toMatch(/X-Hub-Signature-256 is missing/);
      expect((await t.delivery(res.json.delivery as number)).verdict).toBe('missing');
    });

    it('refuses a correctly signed payload for another repository and never ingests it', async () => {
      const t = await setup(kind);
      const res = await t.send('push', githubTagPush(999, 'v9.9.9'));
      expect(res.status).toBe(422);
      expect(res.json.reason).toMatch(/repository id 999/);
      await t.engine.ingest.idle();
      expect(await t.releases()).toHaveLength(0);
      expect((await t.delivery(res.json.delivery as number)).outcome).toBe('rejected');
    });

    it('refuses malformed JSON even with a valid signature, and keeps it', async () => {
      const t = await setup(kind);
      const body = '{"ref": "refs/tags/v1.0.0",';
      const res = await post(t.url, body, await githubHeaders('push', body, t.pkg.secret));
      expect(res.status).toBe(400);
      const d = await t.delivery(res.json.delivery as number);
      expect(d.outcomeReason).toMatch(/not valid JSON/);
      expect(Buffer.from(d.bodyBase64, 'base64').toString()).toBe(body);
    });

    it('skips a tag that is not semver, with the reason', async () => {
      const t = await setup(kind);
      const res = await t.send(
        'push',
        githubExample('push', (p) => p.ref === 'refs/tags/simple-tag' && p.deleted === false),
      );
      expect(res.status).toBe(202);
      await t.engine.ingest.idle();
      const d = await t.delivery(res.json.delivery as number);
      expect(d.outcome).toBe('skipped');
      expect(d.outcomeReason).toMatch(/"simple-tag" is not a semver version/);
      expect((await t.activity()).some((a) => a.kind === 'skipped')).toBe(true);
    });

    it('ignores branch pushes and other events with a reason, answering 2xx', async () => {
      const t = await setup(kind);
      const branch = await t.send('push', githubBranchPush(REPO_ID));
      const create = await t.send('create', { ...githubExample('create'), repository: { id: REPO_ID } });
      const release = await t.send('release', { ...githubExample('release'), repository: { id: REPO_ID } });
      for (const res of [branch, create, release]) expect(res.status).toBe(202);
      expect((await t.delivery(branch.json.delivery as number)).outcomeReason).toMatch(/refs\/heads\/master is not a tag push/);
      expect((await t.delivery(create.json.delivery as number)).outcomeReason).toMatch(/"create" events do not trigger ingest/);
      await t.engine.ingest.idle();
      expect(await t.releases()).toHaveLength(0);
    });

    it('marks the hook verified on ping', async () => {
      const t = await setup(kind);
      const res = await t.send('ping', githubPing(REPO_ID));
      expect(res.status).toBe(200);
      const pkg = (await t.engine.invoke('packages.get', { id: t.pkg.id })) as { hook: { status: string; verifiedAt: number | null } };
      expect(pkg.hook.status).toBe('active');
      expect(pkg.hook.verifiedAt).not.toBeNull();
    });

    it('marks a deleted tag as tag-deleted and removes nothing', async () => {
      const t = await setup(kind);
      await t.send('push', githubTagPush(REPO_ID, 'v1.0.0'));
      await t.engine.ingest.idle();
      await t.send('push', githubTagDelete(REPO_ID, 'v1.0.0'));
      await t.engine.ingest.idle();
      const [release] = await t.releases();
      expect(release).toMatchObject({ tag: 'v1.0.0', status: 'tag_deleted' });
      expect((await t.activity()).some((a) => a.kind === 'tag_deleted')).toBe(true);
    });

    it('publishes a tag pushed again after its deletion, with fresh checks, and frees its version once deleted', async () => {
      const t = await setup(kind);
      await t.send('push', githubTagPush(REPO_ID, 'v4.0.0'));
      await t.engine.ingest.idle();
      await t.send('push', githubTagDelete(REPO_ID, 'v4.0.0'));
      await t.engine.ingest.idle();
      // The deleted tag's version no longer counts as published: another tag may take it.
      await t.send('push', githubTagPush(REPO_ID, '4.0.0'));
      await t.send('push', githubTagPush(REPO_ID, 'v4.0.0'));
      await t.engine.ingest.idle();
      const byTag = new Map((await t.releases()).map((r) => [r.tag, r]));
      expect(byTag.get('4.0.0')?.status).toBe('published');
      const again = byTag.get('v4.0.0')!;
      expect(again.status).toBe('checks_failed');
      expect(again.checks.map((c) => c.rule).sort()).toEqual(['not-already-published', 'not-lower-than-latest-stable', 'prerelease-flagged', 'valid-semver']);
      expect(again.checks.find((c) => c.rule === 'not-already-published')?.detail).toMatch(/already published as tag 4.0.0/);
      expect((await t.activity()).some((a) => /re-created after deletion/.test(a.message))).toBe(true);
    });

    it('fails a version that is already published under another tag, and warns on a lower one', async () => {
      const t = await setup(kind);
      await t.send('push', githubTagPush(REPO_ID, 'v2.0.0'));
      await t.engine.ingest.idle();
      await t.send('push', githubTagPush(REPO_ID, '2.0.0'));
      await t.send('push', githubTagPush(REPO_ID, 'v1.5.0'));
      await t.send('push', githubTagPush(REPO_ID, 'v3.0.0-rc.1'));
      await t.engine.ingest.idle();
      const byTag = new Map((await t.releases()).map((r) => [r.tag, r]));
      expect(byTag.get('2.0.0')?.status).toBe('checks_failed');
      expect(byTag.get('2.0.0')?.checks.find((c) => c.rule === 'not-already-published')?.detail).toMatch(/already published as tag v2.0.0/);
      const lower = byTag.get('v1.5.0')!;
      expect(lower.status).toBe('published');
      expect(lower.checks.find((c) => c.rule === 'not-lower-than-latest-stable')).toMatchObject({ passed: false, severity: 'warning' });
      expect(byTag.get('v3.0.0-rc.1')).toMatchObject({ prerelease: true, status: 'published' });
      expect((await t.activity()).some((a) => a.kind === 'checks_failed')).toBe(true);
    });
  });

  describe('receiver boundaries', () => {
    it('answers 404 to an unknown hook id and stores nothing', async () => {
      const t = await setup(kind);
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
      const res = await post(t.url.replace(/hooks\/.*/, 'hooks/hk_nope'), body, await githubHeaders('push', body, t.pkg.secret));
      expect(res.status).toBe(404);
      expect(await t.deliveries()).toHaveLength(0);
    });

    it('refuses an oversized body with 413 while streaming, recording the refusal', async () => {
      const t = await setup(kind, { bodyLimit: 64 * 1024 });
      const big = Buffer.alloc(256 * 1024, 'a');
      async function* chunks() {
        for (let i = 0; i < 16; i++) yield big.subarray(i * 16384, (i + 1) * 16384);
      }
      const res = await fetch(t.url, {
        method: 'POST',
        body: chunks() as unknown as RequestInit['body'],
        headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      const [d] = await t.deliveries();
      expect(d).toMatchObject({ outcome: 'rejected', statusCode: 413 });
      expect(d!.outcomeReason).toMatch(/exceeds the 65536 byte limit/);
    });

    it('answers only its two routes', async () => {
      const t = await setup(kind);
      const base = t.url.replace(/\/hooks\/.*/, '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(t.url)).status).toBe(405);
    });
  });

  describe('finding deliveries', () => {
    it('filters by verdict, event and time, counts, and searches headers and bodies as text', async () => {
      const t = await setup(kind);
      const start = Date.now();
      await t.send('push', githubTagPush(REPO_ID, 'v7.7.7'));
      await t.send('push', githubTagPush(REPO_ID, 'v8.8.8'), { secret: 'wrong' });
      await t.send('ping', githubPing(REPO_ID), { delivery: 'needle-delivery-id' });
      const list = async (filter: Record<string, unknown>) => (await t.engine.invoke('deliveries.list', filter)) as DeliverySummary[];
      expect((await list({ verdict: 'invalid' })).map((d) => d.statusCode)).toEqual([403]);
      expect((await list({ event: 'ping' })).map((d) => d.providerDeliveryId)).toEqual(['needle-delivery-id']);
      expect(await list({ q: 'v7.7.7' })).toHaveLength(1);
      expect(await list({ q: 'needle-delivery' })).toHaveLength(1);
      expect(await list({ q: '100%_literal' })).toHaveLength(0);
      expect(await list({ since: start + 60_000 })).toHaveLength(0);
      expect(await t.engine.invoke('deliveries.count', { event: 'push' })).toEqual({ count: 2 });
    });
  });
});
