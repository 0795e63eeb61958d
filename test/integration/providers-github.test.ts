import { describe, expect, it } from 'vitest';
import type { ConnectionAdded, ConnectionSummary, DeliveryDetail, HookRotation, PackageConnected, PackageCreated, PackageRemoved, PingResult, ProviderDeliveries } from '../../src/shared/types';
import type { Engine } from '../../src/main/engine';
import { post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { siteQuery } from '../helpers/site-query';
import { fakeGitHub, githubHeaders, githubTagPush, nextActivity, pkg, providerSite } from '../fakes/harness';

const REPO = 'octo/widgets';
const REPO_ID = 4242;

const startSite = engineSites();

async function setup(kind: EngineKind, providers: Parameters<typeof providerSite>[2] = {}) {
  const gh = await fakeGitHub();
  gh.addToken('ghp_good', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
  gh.addRepo(REPO, { id: REPO_ID, admins: ['octocat'] });
  const { engine, receiverUrl, place, box } = await providerSite(startSite, kind, providers);
  const connect = (token: string) => engine.invoke('connections.add', { provider: 'github', token, baseUrl: gh.url }) as Promise<ConnectionAdded>;
  const add = (connectionId: string, repo = REPO) => engine.invoke('packages.addFromConnection', { connectionId, repo }) as Promise<PackageConnected>;
  const rotate = (id: string, extra: Record<string, unknown> = {}) => engine.invoke('packages.rotate', { id, ...extra }) as Promise<HookRotation>;
  return { gh, engine, receiverUrl, place, box, connect, add, rotate };
}

/** Adds the package and waits for the ping GitHub sends to every new hook. */
async function addVerified(t: Awaited<ReturnType<typeof setup>>) {
  const conn = await t.connect('ghp_good');
  const verified = nextActivity(t.engine, 'hook_verified');
  const created = await t.add(conn.id);
  await verified;
  // GitHub records the ping's answer on the hook once the receiver has answered.
  await t.gh.waitForDelivery((d) => d.event === 'ping' && String(d.hookId) === created.hook.providerHookId);
  return { conn, created };
}

/** A tag push signed with this secret, posted straight to the package's hook URL. */
async function pushSignedWith(engine: Pick<Engine, 'invoke'>, hookUrl: string, secret: string, tag = 'v9.9.9') {
  const body = JSON.stringify(githubTagPush(REPO_ID, tag));
  const res = await post(hookUrl, body, await githubHeaders('push', body, secret));
  const delivery = (await engine.invoke('deliveries.get', { id: res.json.delivery as number })) as DeliveryDetail;
  return { status: res.status, delivery };
}

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('GitHub connections', () => {
    it('asks GitHub who the token belongs to, keeps it sealed, and lists it without the token', async () => {
      const t = await setup(kind);
      const conn = await t.connect('ghp_good');
      expect(conn).toMatchObject({ provider: 'github', login: 'octocat', scopes: ['repo', 'admin:repo_hook'], canManageHooks: true, serverVersion: '3.14.0', warnings: [] });
      // An Enterprise Server address becomes its REST root.
      expect(conn.baseUrl).toBe(`${t.gh.url}/api/v3`);
      expect(t.gh.log[0]).toMatchObject({ method: 'GET', path: '/user' });
      expect(t.gh.log[0]!.headers).toMatchObject({ authorization: 'Bearer ghp_good', 'x-github-api-version': '2022-11-28', accept: 'application/vnd.github+json' });

      const list = (await t.engine.invoke('connections.list', {})) as ConnectionSummary[];
      expect(list.map((c) => c.id)).toEqual([conn.id]);
      expect(JSON.stringify(list)).not.toContain('ghp_good');
      const [row] = await siteQuery(t.place)<{ sealed: string }>('SELECT token_sealed AS sealed FROM connections WHERE id = $1', [conn.id]);
      expect(row!.sealed).not.toContain('ghp_good');
      expect(t.box.open(row!.sealed)).toBe('ghp_good');

      expect(await t.engine.invoke('connections.remove', { id: conn.id })).toEqual({ removed: true, detachedPackages: [] });
      expect(await t.engine.invoke('connections.list', {})).toEqual([]);
    });

    it("refuses a bad token in GitHub's words and stores nothing", async () => {
      const t = await setup(kind);
      await expect(t.connect('ghp_wrong')).rejects.toThrow(/GitHub rejected the token of the new token \(HTTP 401: Bad credentials\)/);
      expect(await t.engine.invoke('connections.list', {})).toEqual([]);
    });

    it('adds a token without the hook scope, warning exactly what is missing', async () => {
      const t = await setup(kind);
      t.gh.addToken('ghp_readonly', { login: 'octocat', scopes: ['public_repo', 'read:org'] });
      t.gh.addToken('github_pat_fine', { login: 'octocat', scopes: null, webhooks: 'write' });
      const classic = await t.connect('ghp_readonly');
      expect(classic.canManageHooks).toBe(false);
      expect(classic.warnings[0]).toMatch(/scopes \(public_repo, read:org\) do not include admin:repo_hook \(or repo\)/);
      const fine = await t.connect('github_pat_fine');
      expect(fine).toMatchObject({ scopes: null, canManageHooks: null });
      expect(fine.warnings[0]).toMatch(/fine-grained token.*"Webhooks: Read and write"/);
    });
  });

  describe('GitHub hooks upstream', () => {
    it("creates one hook with the package's own secret; the ping GitHub sends marks it verified", async () => {
      const t = await setup(kind);
      const conn = await t.connect('ghp_good');
      const verified = nextActivity(t.engine, 'hook_verified');
      const created = await t.add(conn.id, 'OCTO/Widgets');
      // Looked up first: the provider's id and spelling of the repository are kept.
      expect(created).toMatchObject({ registered: true, repo: REPO, repoId: String(REPO_ID), connectionId: conn.id });
      const [hook] = t.gh.repo(REPO).hooks;
      expect(t.gh.repo(REPO).hooks).toHaveLength(1);
      expect(t.gh.log.find((r) => r.method === 'POST')!.body).toEqual({
        name: 'web',
        active: true,
        events: ['push'],
        config: { url: created.hookUrl, content_type: 'json', secret: created.secret, insecure_ssl: '0' },
      });
      expect(created.hook.providerHookId).toBe(String(hook!.id));
      expect(created.hookUrl).toBe(`${t.receiverUrl}/hooks/${created.hookUrl.split('/hooks/')[1]}`);

      const entry = await verified;
      expect(entry.packageId).toBe(created.id);
      const summary = await pkg(t.engine, created.id);
      expect(summary.hook).toMatchObject({ status: 'active', statusReason: 'Ping received and verified.' });
      expect(summary.hook.verifiedAt).not.toBeNull();
      expect(summary.connectionId).toBe(conn.id);
      expect(summary.upstream).toMatchObject({ providerHookId: String(hook!.id), rotationStep: null, previousSecretValid: false });
    });

    it('without the hook permission saves the package without a hook, says what is missing, and a better token fixes it', async () => {
      const t = await setup(kind);
      t.gh.addToken('ghp_readonly', { login: 'octocat', scopes: ['public_repo'] });
      const weak = await t.connect('ghp_readonly');
      const unregistered = nextActivity(t.engine, 'hook_unregistered');
      const created = await t.add(weak.id);
      expect(created.registered).toBe(false);
      expect(created.hook.status).toBe('unregistered');
      expect(created.hook.statusReason).toMatch(
        /GitHub refused to create the hook on octo\/widgets \(HTTP 404: Not Found\): the token's scopes \(public_repo\) do not include admin:repo_hook \(or repo\)\. Fix: create a classic token with the admin:repo_hook scope/,
      );
      expect(created.hook.statusReason).toContain(`hookbench package rotate ${created.id} --connection <connection id>`);
      expect((await unregistered).message).toBe(created.hook.statusReason);
      expect(t.gh.repo(REPO).hooks).toHaveLength(0);
      expect((await pkg(t.engine, created.id)).hook.status).toBe('unregistered');

      // Reconnect with the permission, then create the hook through the new connection.
      const good = await t.connect('ghp_good');
      const verified = nextActivity(t.engine, 'hook_verified', created.id);
      const rotation = await t.rotate(created.id, { connectionId: good.id });
      expect(rotation).toMatchObject({ mode: 'upstream', completed: true });
      expect(t.gh.repo(REPO).hooks).toHaveLength(1);
      await verified;
      expect((await pkg(t.engine, created.id)).connectionId).toBe(good.id);
    });

    it('names the missing permission for fine-grained tokens and for users who are not admins', async () => {
      const t = await setup(kind);
      t.gh.addToken('github_pat_nohooks', { login: 'octocat', scopes: null, webhooks: 'none' });
      t.gh.addToken('ghp_member', { login: 'hubot', scopes: ['repo'] });
      const fine = await t.add((await t.connect('github_pat_nohooks')).id);
      expect(fine.hook.statusReason).toMatch(
        /HTTP 403: Resource not accessible by personal access token\): the fine-grained token lacks the repository permission "Webhooks: Read and write" on octo\/widgets \(GitHub asked for repository_hooks=write\)/,
      );
      // One package per repository: the first goes before the next token is tried.
      await t.engine.invoke('packages.remove', { id: fine.id });
      const member = await t.add((await t.connect('ghp_member')).id);
      expect(member.hook.statusReason).toMatch(/hubot is not an admin of octo\/widgets, and managing hooks needs the admin role/);
    });

    it('saves nothing when the repository cannot be found', async () => {
      const t = await setup(kind);
      const conn = await t.connect('ghp_good');
      await expect(t.add(conn.id, 'octo/nope')).rejects.toThrow(/GitHub has no repository octo\/nope that this token can see \(HTTP 404\)/);
      expect(await t.engine.invoke('packages.list', {})).toEqual([]);
    });

    it("pings through GitHub and shows the ping arriving; a ping that cannot arrive is explained from GitHub's record", async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      const ping = (await t.engine.invoke('packages.ping', { id: created.id })) as PingResult;
      expect(ping).toMatchObject({ arrived: true, verified: true, delivery: { event: 'ping', outcome: 'ping', verdict: 'valid' } });
      expect(ping.message).toMatch(/arrived as delivery #\d+ and its signature verified/);

      t.gh.state.outage = true;
      const lost = (await t.engine.invoke('packages.ping', { id: created.id, waitMs: 300 })) as PingResult;
      expect(lost).toMatchObject({ arrived: false, verified: false, provider: { event: 'ping', statusCode: 502, status: 'failed to connect' } });
      expect(lost.message).toMatch(/GitHub tried to deliver the ping to .* and got 502 \(failed to connect\)/);
    });

    it("lists GitHub's deliveries page by page beside Hookbench's own copies", async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      await t.gh.pushTags(REPO, ['v1.0.0', 'v1.1.0']);
      await t.engine.ingest.idle();
      const first = (await t.engine.invoke('packages.providerDeliveries', { id: created.id, limit: 2 })) as ProviderDeliveries;
      expect(first.supported).toBe(true);
      expect(first.deliveries.map((d) => d.event)).toEqual(['push', 'push']);
      expect(first.deliveries.every((d) => d.statusCode === 202 && d.hookbench?.outcome === 'ingested')).toBe(true);
      expect(first.deliveries.map((d) => d.hookbench!.providerDeliveryId)).toEqual(first.deliveries.map((d) => d.guid));
      expect(first.nextCursor).toMatch(/^v1_\d+$/);
      const second = (await t.engine.invoke('packages.providerDeliveries', { id: created.id, limit: 2, cursor: first.nextCursor! })) as ProviderDeliveries;
      expect(second.deliveries.map((d) => [d.event, d.hookbench?.outcome])).toEqual([['ping', 'ping']]);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('GitHub hook rotation', () => {
    it('re-creates the hook with a new secret; the old secret verifies until the new hook exists, then no more', async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      const oldHookId = created.hook.providerHookId;
      const held = t.gh.hold('POST', /^\/repos\/octo\/widgets\/hooks$/);
      const rotating = t.rotate(created.id);
      await held.reached;
      // Half-way: the old hook is deleted upstream, the new one is being created.
      expect(t.gh.repo(REPO).hooks).toHaveLength(0);
      const during = await pushSignedWith(t.engine, created.hookUrl, created.secret, 'v1.0.0');
      expect(during.status).toBe(202);
      expect(during.delivery.verdictDetail?.reason).toMatch(/previous secret, still accepted while the hook is rotated/);
      expect((await pkg(t.engine, created.id)).upstream).toMatchObject({ rotationStep: 'create_new', previousSecretValid: true });

      const verified = nextActivity(t.engine, 'hook_verified', created.id);
      held.release();
      const rotation = await rotating;
      expect(rotation).toMatchObject({ mode: 'upstream', completed: true, stoppedAt: null, previousSecretValidUntil: null });
      expect(rotation.secret).not.toBe(created.secret);
      expect(rotation.providerHookId).not.toBe(oldHookId);
      const [hook] = t.gh.repo(REPO).hooks;
      expect(hook!.config.secret).toBe(rotation.secret);
      await verified;

      expect((await pushSignedWith(t.engine, created.hookUrl, created.secret, 'v1.0.1')).status).toBe(403);
      expect((await pushSignedWith(t.engine, created.hookUrl, rotation.secret, 'v1.0.2')).status).toBe(202);
      expect((await pkg(t.engine, created.id)).upstream).toMatchObject({ rotationStep: null, previousSecretValid: false, providerHookId: String(hook!.id) });
    });

    it('stops visibly when the new hook cannot be created, keeps the old secret valid, and finishes on retry', async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      t.gh.failNext('POST', /^\/repos\/octo\/widgets\/hooks$/, { status: 503, body: { message: 'Service Unavailable' } });
      const failed = nextActivity(t.engine, 'hook_rotation_failed', created.id);
      const first = await t.rotate(created.id);
      expect(first).toMatchObject({ completed: false, stoppedAt: 'create_new' });
      expect(first.error).toMatch(/HTTP 503: Service Unavailable/);
      expect((await failed).message).toMatch(/Rotation stopped half-way: the old hook is gone from GitHub but the new one could not be created/);
      const stopped = await pkg(t.engine, created.id);
      expect(stopped.hook.status).toBe('missing');
      expect(stopped.hook.statusReason).toContain(`Run "hookbench package rotate ${created.id}" again to resume.`);
      expect(stopped.upstream).toMatchObject({ rotationStep: 'create_new', previousSecretValid: true, providerHookId: null });
      expect(t.gh.repo(REPO).hooks).toHaveLength(0);
      expect((await pushSignedWith(t.engine, created.hookUrl, created.secret)).status).toBe(202);

      const verified = nextActivity(t.engine, 'hook_verified', created.id);
      const retry = await t.rotate(created.id);
      expect(retry).toMatchObject({ completed: true });
      // The retry resumes the same rotation: the new secret made the first time is the one upstream.
      expect(retry.secret).toBe(first.secret);
      expect(t.gh.repo(REPO).hooks[0]!.config.secret).toBe(first.secret);
      await verified;
      expect((await pkg(t.engine, created.id)).hook.status).toBe('active');
      expect((await pushSignedWith(t.engine, created.hookUrl, created.secret, 'v2.0.0')).status).toBe(403);
    });

    it('stops before deleting when GitHub refuses the delete, leaving the old hook working', async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      t.gh.failNext('DELETE', /^\/repos\/octo\/widgets\/hooks\/\d+$/, { status: 502, body: { message: 'Bad Gateway' } });
      const first = await t.rotate(created.id);
      expect(first).toMatchObject({ completed: false, stoppedAt: 'delete_old' });
      expect(first.message).toMatch(/Rotation stopped before the old hook was deleted: .*The old hook and secret keep working/);
      expect(t.gh.repo(REPO).hooks.map((h) => String(h.id))).toEqual([created.hook.providerHookId]);
      expect((await pkg(t.engine, created.id)).hook.status).toBe('active');
      const retry = await t.rotate(created.id);
      expect(retry).toMatchObject({ completed: true, secret: first.secret });
      expect(t.gh.repo(REPO).hooks.map((h) => String(h.id))).toEqual([retry.providerHookId]);
    });

    it('removing a package deletes its hook on GitHub; a refused delete still removes it and says where to finish by hand', async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      const removed = (await t.engine.invoke('packages.remove', { id: created.id })) as PackageRemoved;
      expect(removed).toMatchObject({ removed: true, upstream: 'deleted' });
      expect(removed.message).toBe(`Package ${REPO} removed; its hook URL now answers 404. Its hook ${created.hook.providerHookId} was deleted on GitHub.`);
      expect(t.gh.repo(REPO).hooks).toHaveLength(0);

      const second = await addVerified(t);
      t.gh.failNext('DELETE', /^\/repos\/octo\/widgets\/hooks\/\d+$/, { status: 502, body: { message: 'Bad Gateway' } });
      const refused = (await t.engine.invoke('packages.remove', { id: second.created.id })) as PackageRemoved;
      expect(refused.upstream).toBe('failed');
      expect(refused.message).toMatch(/removed; its hook URL now answers 404\. Its hook on GitHub could not be deleted: .*Delete it under octo\/widgets → Settings → Webhooks/);
      await expect(t.engine.invoke('packages.get', { id: second.created.id })).rejects.toThrow(/No package/);
      expect(t.gh.repo(REPO).hooks).toHaveLength(1);
    });

    it('rotates a package without a connection by hand: a new secret, where to paste it, and an overlap for the old one', async () => {
      const t = await setup(kind);
      const manual = (await t.engine.invoke('packages.add', { provider: 'github', repo: REPO, repoId: String(REPO_ID) })) as PackageCreated;
      const rotation = await t.rotate(manual.id);
      expect(rotation).toMatchObject({ mode: 'manual', completed: true });
      expect(rotation.message).toMatch(/Paste the new secret into GitHub: octo\/widgets → Settings → Webhooks → Edit → Secret/);
      expect(rotation.previousSecretValidUntil).toBeGreaterThan(Date.now() + 23 * 3600_000);
      expect((await pushSignedWith(t.engine, manual.hookUrl, manual.secret, 'v1.0.0')).status).toBe(202);
      expect((await pushSignedWith(t.engine, manual.hookUrl, rotation.secret, 'v1.0.1')).status).toBe(202);
      const strict = await t.rotate(manual.id, { overlapSeconds: 0 });
      expect((await pushSignedWith(t.engine, manual.hookUrl, rotation.secret, 'v1.0.2')).status).toBe(403);
      expect((await pushSignedWith(t.engine, manual.hookUrl, strict.secret, 'v1.0.3')).status).toBe(202);
      expect(t.gh.log.filter((r) => r.path.includes('/hooks'))).toEqual([]);
    });
  });

  describe('GitHub upstream check', () => {
    it('flags a hook deleted upstream as missing, a disabled one as failing, and says when it is healthy again', async () => {
      const t = await setup(kind, { checkIntervalMs: 30 });
      const { created } = await addVerified(t);
      const missing = nextActivity(t.engine, 'hook_missing', created.id);
      const [hook] = t.gh.repo(REPO).hooks.splice(0, 1);
      expect((await missing).message).toMatch(new RegExp(`Hook ${hook!.id} no longer exists on GitHub for octo/widgets: it was deleted upstream\\. Run "hookbench package rotate ${created.id}"`));
      expect((await pkg(t.engine, created.id)).hook.status).toBe('missing');

      const failing = nextActivity(t.engine, 'hook_failing', created.id);
      hook!.active = false;
      t.gh.repo(REPO).hooks.push(hook!);
      expect((await failing).message).toMatch(/switched off \("Active" is unticked\) on GitHub\. Nothing is delivered until it is enabled again/);

      const healthy = nextActivity(t.engine, 'hook_healthy', created.id);
      hook!.active = true;
      await healthy;
      const summary = await pkg(t.engine, created.id);
      expect(summary.hook.status).toBe('active');
      expect(summary.upstream!.checkedAt).not.toBeNull();
    });

    it('reports a hook whose last delivery failed, and one that points at an old URL', async () => {
      const t = await setup(kind);
      const { created } = await addVerified(t);
      const [hook] = t.gh.repo(REPO).hooks;
      hook!.last_response = { code: 503, status: 'failed', message: 'Invalid HTTP Response: 503' };
      const [check] = (await t.engine.invoke('packages.checkUpstream', { id: created.id })) as { status: string; statusReason: string; changed: boolean }[];
      expect(check).toMatchObject({ status: 'failing', changed: true });
      expect(check!.statusReason).toMatch(/GitHub's last delivery to hook \d+ got 503 \(Invalid HTTP Response: 503\)/);
      // Unchanged on the next run: no second feed entry.
      const again = (await t.engine.invoke('packages.checkUpstream', { id: created.id })) as { changed: boolean }[];
      expect(again[0]!.changed).toBe(false);

      hook!.last_response = { code: 200, status: 'active', message: 'OK' };
      hook!.config.url = 'https://old.example/hooks/x';
      const [moved] = (await t.engine.invoke('packages.checkUpstream', {})) as { statusReason: string }[];
      expect(moved!.statusReason).toMatch(/delivers to https:\/\/old\.example, not to this package's hook URL at http:\/\/127\.0\.0\.1:\d+ \(the public URL changed\)/);
    });
  });

  describe('GitHub rate limits', () => {
    it('stops at an exhausted quota with the reset time, and makes no further calls until then', async () => {
      const t = await setup(kind);
      t.gh.rate.remaining = 0;
      await expect(t.connect('ghp_good')).rejects.toThrow(
        /GitHub refused the call: rate limit reached \(HTTP 403: API rate limit exceeded for user ID \d+\.\)\. Hookbench makes no further calls with this credential until .* \(in \d+ s\)/,
      );
      const calls = t.gh.log.length;
      await expect(t.connect('ghp_good')).rejects.toThrow(/no further calls/);
      expect(t.gh.log.length).toBe(calls);
    });

    it('honours Retry-After on a secondary limit, and stops before a quota it saw run out', async () => {
      const t = await setup(kind);
      const conn = await t.connect('ghp_good');
      t.gh.rate.secondaryRetryAfter = 120;
      await expect(t.add(conn.id)).rejects.toThrow(/secondary rate limit.*\(in 120 s\)/);
      t.gh.rate.secondaryRetryAfter = null;
      await expect(t.add(conn.id)).rejects.toThrow(/no further calls/);

      const other = await setup(kind);
      const c2 = await other.connect('ghp_good');
      other.gh.rate.remaining = 1;
      // The lookup spends the last call; creating the hook is not attempted, and the package says so.
      const created = await other.add(c2.id);
      expect(created.registered).toBe(false);
      expect(created.hook.statusReason).toMatch(
        /GitHub's rate limit for this credential is used up\. Hookbench makes no further calls with this credential until .*run "hookbench package rotate pkg_[\w-]+" to try again/,
      );
      expect(other.gh.log.filter((r) => r.method === 'POST')).toEqual([]);
    });
  });
});

describe('provider base URLs', () => {
  it('turns what a person types into the REST root', async () => {
    const { apiBaseUrl } = await import('../../src/main/engine/providers/base-url');
    expect(apiBaseUrl('github')).toBe('https://api.github.com');
    expect(apiBaseUrl('github', 'https://github.com/')).toBe('https://api.github.com');
    expect(apiBaseUrl('github', 'https://ghe.example.com')).toBe('https://ghe.example.com/api/v3');
    expect(apiBaseUrl('github', 'https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/v3');
    expect(apiBaseUrl('gitlab')).toBe('https://gitlab.com/api/v4');
    expect(apiBaseUrl('gitlab', 'https://gitlab.example.com/')).toBe('https://gitlab.example.com/api/v4');
    expect(apiBaseUrl('gitlab', 'https://example.com/gitlab')).toBe('https://example.com/gitlab/api/v4');
    expect(() => apiBaseUrl('github', 'ftp://x')).toThrow(/must be http or https/);
    expect(() => apiBaseUrl('github', 'https://user:tok@ghe.example.com')).toThrow(/not in the base URL/);
  });
});
