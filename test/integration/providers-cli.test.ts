/** The provider commands end to end: a built CLI and a running engine against the fake APIs. Needs `electron-vite build`. */
import { describe, expect, it } from 'vitest';
import type { CatchUpResult, ConnectionAdded, ConnectionSummary, HookRotation, PackageConnected, PackageSummary, PingResult, ProviderDeliveries } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';
import { fakeGitHub } from '../fakes/harness';

const json = <T>(text: string) => JSON.parse(text) as T;

const startSite = engineSites();

/** The fake GitHub, and a running engine (a data dir's, or a team server) the CLI works on. */
async function setup(kind: EngineKind) {
  const gh = await fakeGitHub();
  gh.addToken('ghp_good', { login: 'octocat', scopes: ['repo'] });
  gh.addToken('ghp_member', { login: 'hubot', scopes: ['repo'] });
  gh.addRepo('octo/widgets', { id: 4242, admins: ['octocat'] });
  const site = await startSite(kind);
  const cli = (...args: string[]) => site.cli(...args, '--json');
  const show = async (id: string) => json<PackageSummary>((await cli('package', 'show', id)).stdout);
  return { gh, site, cli, show };
}

// About a second per CLI run; the first test runs fifteen.
// On both stores: the CLI on a data dir, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench connection and provider package commands', { timeout: 120_000 }, () => {
    it('connects, adds a package whose hook GitHub creates and pings, pings, lists deliveries, rotates and catches up', async () => {
      const t = await setup(kind);
      const added = await t.cli('connection', 'add', '--provider', 'github', '--token', 'ghp_good', '--base-url', t.gh.url);
      expect(added.code).toBe(0);
      const conn = json<ConnectionAdded>(added.stdout);
      expect(conn).toMatchObject({ login: 'octocat', baseUrl: `${t.gh.url}/api/v3` });
      const list = await t.cli('connection', 'list');
      expect(json<ConnectionSummary[]>(list.stdout).map((c) => c.id)).toEqual([conn.id]);
      expect(list.stdout).not.toContain('ghp_good');

      const pkgAdd = await t.cli('package', 'add', '--connection', conn.id, '--repo', 'octo/widgets');
      expect(pkgAdd.code).toBe(0);
      const created = json<PackageConnected>(pkgAdd.stdout);
      expect(created).toMatchObject({ registered: true, repoId: '4242' });
      // The hook points at the running engine; GitHub's ping lands there and verifies it.
      expect(created.hookUrl.startsWith(t.site.receiverUrl)).toBe(true);
      await waitUntil(
        () => t.show(created.id),
        (p) => p.hook.verifiedAt !== null,
      ).catch((e: Error) => {
        // GitHub's side of the story makes a failure here readable.
        throw new Error(`${e.message}\nGitHub's attempts: ${JSON.stringify(t.gh.deliveries.map((d) => [d.event, d.status_code, d.responseBody]))}`);
      });

      const ping = await t.cli('package', 'ping', created.id);
      expect(ping.code).toBe(0);
      expect(json<PingResult>(ping.stdout)).toMatchObject({ arrived: true, verified: true });

      const deliveries = json<ProviderDeliveries>((await t.cli('package', 'deliveries', created.id, '--limit', '5')).stdout);
      expect(deliveries.deliveries.map((d) => [d.event, d.statusCode, d.hookbench?.outcome])).toEqual([
        ['ping', 200, 'ping'],
        ['ping', 200, 'ping'],
      ]);

      const rotated = await t.cli('package', 'rotate', created.id);
      expect(rotated.code).toBe(0);
      const rotation = json<HookRotation>(rotated.stdout);
      expect(rotation).toMatchObject({ mode: 'upstream', completed: true });
      expect(t.gh.repo('octo/widgets').hooks.map((h) => h.config.secret)).toEqual([rotation.secret]);

      // Four tags at once: GitHub sends nothing; catch-up finds them.
      await t.gh.pushTags('octo/widgets', ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0']);
      const caught = await t.cli('package', 'catch-up', created.id);
      expect(caught.code).toBe(0);
      expect(json<CatchUpResult>(caught.stdout).reconciled.map((r) => [r.tag, r.outcome])).toEqual([
        ['v1.0.0', 'ingested'],
        ['v1.1.0', 'ingested'],
        ['v1.2.0', 'ingested'],
        ['v1.3.0', 'ingested'],
      ]);
      const human = await t.site.cli('activity', '--package', created.id);
      expect(human.stdout).toContain('came from tag reconciliation');

      const removed = json<{ detachedPackages: string[] }>((await t.cli('connection', 'remove', conn.id)).stdout);
      expect(removed.detachedPackages).toEqual([created.id]);
      expect((await t.show(created.id)).connectionId).toBeNull();
    });

    it('fails loudly when the hook cannot be created, names the gap, and rotates unmanaged packages by hand', async () => {
      const t = await setup(kind);
      const conn = json<ConnectionAdded>((await t.cli('connection', 'add', '--provider', 'github', '--token', 'ghp_member', '--base-url', t.gh.url)).stdout);
      const res = await t.cli('package', 'add', '--connection', conn.id, '--repo', 'octo/widgets');
      expect(res.code).toBe(1);
      const created = json<PackageConnected>(res.stdout);
      expect(created.registered).toBe(false);
      expect(created.hook.statusReason).toMatch(/hubot is not an admin of octo\/widgets/);
      const text = await t.site.cli('package', 'show', created.id);
      expect(text.stdout).toMatch(/hook status {2}unregistered — GitHub refused to create the hook/);

      const bad = await t.cli('connection', 'add', '--provider', 'github', '--token', 'nope', '--base-url', t.gh.url);
      expect(bad.code).toBe(1);
      expect(json<{ error: { message: string } }>(bad.stderr).error.message).toMatch(/HTTP 401: Bad credentials/);

      const manual = json<{ id: string }>((await t.cli('package', 'add', '--provider', 'github', '--repo', 'octo/other', '--repo-id', '7')).stdout);
      const rotated = await t.site.cli('package', 'rotate', manual.id);
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(/Paste the new secret into GitHub: octo\/other → Settings → Webhooks → Edit → Secret/);
      expect(rotated.stdout).toMatch(/Secret: {4}[0-9a-f]{64}/);
    });
  });
});
