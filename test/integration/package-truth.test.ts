import { describe, expect, it } from 'vitest';
import type { ActivityEntry, PackageSummary, Release, ReplayView } from '../../src/shared/types';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { githubBranchPush, githubHeaders, githubPing, githubTagDelete, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';

const REPO_ID = 186853002;

const startSite = engineSites();

async function setup(kind: EngineKind) {
  const site = await startSite(kind);
  const { engine, receiverUrl } = site;
  const pkg = await addPackage(engine, 'github', REPO_ID);
  const url = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  const summary = async () => (await engine.invoke('packages.get', { id: pkg.id })) as PackageSummary;
  const send = async (event: string, payload: unknown, secret = pkg.secret) => {
    const body = JSON.stringify(payload);
    return post(url, body, await githubHeaders(event, body, secret));
  };
  const push = async (...tags: string[]) => {
    for (const tag of tags) expect((await send('push', githubTagPush(REPO_ID, tag))).status).toBe(202);
    await engine.ingest.idle();
  };
  const cli = (...args: string[]) => site.cli(...args);
  return { engine, pkg, summary, send, push, cli };
}

// Every behaviour on both stores (the CLI on a data dir, or through --server on a team server).
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('a package\u2019s latest release', () => {
    it('is the highest published stable version, not the newest tag, in the API and the CLI', async () => {
      const t = await setup(kind);
      await t.push('v1.0.0', 'v2.1.0', 'v1.3.0', 'v3.0.0-rc.1');
      const summary = await t.summary();
      expect(summary.latest).toEqual({ tag: 'v2.1.0', version: '2.1.0', prerelease: false });
      expect(summary.latestRelease).toBe('v2.1.0');
      const list = (await t.engine.invoke('packages.list', {})) as PackageSummary[];
      expect(list[0]!.latestRelease).toBe('v2.1.0');

      const shown = await t.cli('package', 'show', t.pkg.id);
      expect(shown.stdout).toMatch(/latest\s+v2\.1\.0\n/);
      const listed = (await t.cli('package', 'list')).stdout;
      expect(listed).toContain('v2.1.0');
      expect(listed).not.toContain('v1.3.0');
    });

    it('is the highest prerelease, labelled as one, only while no stable version is published', async () => {
      const t = await setup(kind);
      await t.push('v1.0.0-beta.2', 'v1.0.0-rc.1', 'v1.0.0-alpha.9');
      expect((await t.summary()).latest).toEqual({ tag: 'v1.0.0-rc.1', version: '1.0.0-rc.1', prerelease: true });
      expect((await t.cli('package', 'show', t.pkg.id)).stdout).toContain('v1.0.0-rc.1 (prerelease; no stable yet)');
      await t.push('v0.9.0');
      expect((await t.summary()).latest).toEqual({ tag: 'v0.9.0', version: '0.9.0', prerelease: false });
    });

    it('ignores releases whose checks failed and deleted tags', async () => {
      const t = await setup(kind);
      // 2.0.0 again under another tag fails "not-already-published": never the latest.
      await t.push('v2.0.0', '2.0.0+build.7', 'v1.0.0');
      expect((await t.summary()).latest?.tag).toBe('v2.0.0');
      expect((await t.send('push', githubTagDelete(REPO_ID, 'v2.0.0'))).status).toBe(202);
      await t.engine.ingest.idle();
      expect((await t.summary()).latest?.tag).toBe('v1.0.0');
    });
  });

  describe('a hook\u2019s status', () => {
    it('turns verified with the first delivery whose signature verifies, and says which', async () => {
      const t = await setup(kind);
      expect((await t.summary()).hook.status).toBe('unregistered');
      const res = await t.send('push', githubBranchPush(REPO_ID));
      expect(res.status).toBe(202);
      const { hook } = await t.summary();
      expect(hook.status).toBe('active');
      expect(hook.verifiedAt).not.toBeNull();
      expect(hook.statusReason).toBe(`Verified by the "push" delivery #${res.json.delivery}: its signature matches the hook's secret.`);
      const activity = (await t.engine.invoke('activity.list', { packageId: t.pkg.id })) as ActivityEntry[];
      expect(activity.filter((a) => a.kind === 'hook_verified')).toHaveLength(1);

      // Further deliveries leave it as it is: no new activity, the first proof kept.
      await t.push('v1.0.0', 'v1.0.1');
      expect((await t.summary()).hook).toEqual(hook);
      const after = (await t.engine.invoke('activity.list', { packageId: t.pkg.id })) as ActivityEntry[];
      expect(after.filter((a) => a.kind === 'hook_verified')).toHaveLength(1);
    });

    it('stays unregistered after a replay or a forged delivery: neither came from the provider', async () => {
      const t = await setup(kind);
      const wrong = await t.send('push', githubTagPush(REPO_ID, 'v1.0.0'), 'not the secret');
      expect(wrong.status).toBe(403);
      await t.engine.invoke('replay.run', { ref: String(wrong.json.delivery), mode: 'resign' });
      await t.engine.ingest.idle();
      expect(((await t.engine.invoke('releases.list', { packageId: t.pkg.id })) as Release[]).map((r) => r.tag)).toEqual(['v1.0.0']);
      expect((await t.summary()).hook.status).toBe('unregistered');
      // Nor does a ping replayed into it: the provider did not send it.
      const ping = await t.send('ping', githubPing(REPO_ID), 'not the secret');
      const replayed = (await t.engine.invoke('replay.run', { ref: String(ping.json.delivery), mode: 'resign', newId: true })) as ReplayView;
      expect(replayed.status).toBe(200);
      expect((await t.summary()).hook).toMatchObject({ status: 'unregistered', verifiedAt: null });
      const activity = (await t.engine.invoke('activity.list', { packageId: t.pkg.id })) as ActivityEntry[];
      expect(activity.map((a) => a.kind)).not.toContain('hook_verified');
    });
  });

  describe('release checks', () => {
    it('count info rules as notes, not failures, in the CLI', async () => {
      const t = await setup(kind);
      await t.push('v1.0.0', 'v1.1.0-rc.1');
      const [rc] = (await t.engine.invoke('releases.list', { packageId: t.pkg.id })) as Release[];
      expect(rc!.tag).toBe('v1.1.0-rc.1');
      const listed = await t.cli('release', 'list', '--package', t.pkg.id);
      const line = listed.stdout.split('\n').find((l) => l.includes('v1.1.0-rc.1'))!;
      expect(line).toContain('3/3 passed · 1 note');
      expect(line).toContain('prerelease-flagged');
      expect(line).not.toMatch(/3\/4/);
      const stable = listed.stdout.split('\n').find((l) => l.includes('v1.0.0 '))!;
      expect(stable).toContain('3/3 passed');
      expect(stable).not.toContain('note');
    });
  });

  describe('chat messages', () => {
    it('give a prerelease’s flag as a note, not as a failed check', async () => {
      const t = await setup(kind);
      const sink = await startSink(() => ({ status: 200 }));
      await t.engine.invoke('endpoints.add', { name: 'chat', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'], format: 'slack' });
      await t.push('v1.1.0-rc.1');
      await sink.waitFor(1);
      const slack = JSON.parse(sink.received[0]!.body.toString()) as { blocks: { elements?: { text: string }[] }[] };
      expect(slack.blocks[1]!.elements!.map((e) => e.text)).toEqual(['Note (prerelease-flagged): Prerelease (rc.1): published, but flagged so stable installs skip it.']);
    });
  });

  describe('adding a package', () => {
    it('refuses a second package for the same repository, naming the first, in the API and the CLI', async () => {
      const t = await setup(kind);
      await expect(t.engine.invoke('packages.add', { provider: 'github', repo: 'octo/renamed', repoId: String(REPO_ID), name: 'again' })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(`Package "octo/widgets" (${t.pkg.id}) already receives GitHub repository octo/widgets (id ${REPO_ID})`),
      });
      const cli = await t.cli('package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', String(REPO_ID));
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`already receives GitHub repository octo/widgets (id ${REPO_ID})`);
      expect(cli.stderr).toContain(`hookbench package remove ${t.pkg.id}`);
      expect(((await t.engine.invoke('packages.list', {})) as PackageSummary[]).map((p) => p.id)).toEqual([t.pkg.id]);
      // The same number on another provider is another repository.
      await expect(t.engine.invoke('packages.add', { provider: 'gitlab', repo: 'octo/widgets', repoId: String(REPO_ID) })).resolves.toMatchObject({ id: expect.any(String) });
    });
  });
});
