import { randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { PackageCreated, PackageSummary, TunnelCreated, TunnelRemoved, TunnelStatus } from '../../src/shared/types';
import { createEngine } from '../../src/main/engine';
import { tempDataDir } from '../helpers/data-dir';
import { cliInProcess } from '../helpers/in-process-cli';
import { startFakeSmee } from '../helpers/fake-smee';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { siteQuery } from '../helpers/site-query';
import { fakeGitHub, fakeGitLab } from '../fakes/harness';

type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;
type DeliveryEvent = Extract<PushEvent, { type: 'delivery' }>;

const cli = cliInProcess;

const json = <T>(r: { stdout: string }) => JSON.parse(r.stdout) as T;

// SQLite only: a data dir without a public URL hands its hook URLs to the tunnel; a team server's address counts as configured, so none moves (pg-tunnel.test.ts).
describe('creating and removing a tunnel moves every hook URL, upstream where Hookbench manages the hook', () => {
  it('updates managed GitHub and GitLab hooks to the channel and back, lists the hand-managed one to repaste, and keeps secrets', async () => {
    const dataDir = tempDataDir();
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const gh = await fakeGitHub();
    gh.addToken('ghp_admin', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
    gh.addRepo('octo/widgets', { id: 4242, admins: ['octocat'] });
    const gl = await fakeGitLab({ supportsSigning: true });
    gl.addToken('glpat-good', { username: 'maintainer', scopes: ['api'] });
    gl.addProject('group/gadgets', { id: 278964, members: { maintainer: 40 } });

    // What `hookbench serve` runs, beside which the CLI works.
    const serve = createEngine({ dataDir, tunnel: { watchMs: 100, backoffInitialMs: 20 }, providers: { checkIntervalMs: 0 } });
    onTestFinished(() => serve.close());
    const receiverUrl = await serve.startReceiver({ port: 0 });
    await serve.startWorkers();

    const d = ['--data-dir', dataDir];
    const ghConn = json<{ id: string }>(await cli(['connection', 'add', '--provider', 'github', '--token', 'ghp_admin', '--base-url', gh.url, ...d, '--json']));
    const glConn = json<{ id: string }>(await cli(['connection', 'add', '--provider', 'gitlab', '--token', 'glpat-good', '--base-url', gl.url, ...d, '--json']));
    const managedGh = json<{ id: string; hookUrl: string; secret: string }>(await cli(['package', 'add', '--connection', ghConn.id, '--repo', 'octo/widgets', ...d, '--json']));
    const managedGl = json<{ id: string; hookUrl: string; secret: string }>(await cli(['package', 'add', '--connection', glConn.id, '--repo', 'group/gadgets', ...d, '--json']));
    const byHand = json<{ id: string; hookUrl: string }>(await cli(['package', 'add', '--provider', 'github', '--repo', 'octo/manual', '--repo-id', '99', ...d, '--json']));
    const ghHook = () => gh.repo('octo/widgets').hooks[0]!;
    const glHook = () => gl.project(278964).hooks[0]!;
    expect(ghHook().config.url).toBe(managedGh.hookUrl);
    expect(managedGh.hookUrl.startsWith(`${receiverUrl}/hooks/`)).toBe(true);

    // Create: every hook moves to the channel; the managed ones on the provider too.
    const connected = serve.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
    const created = await cli(['tunnel', 'create', '--server', smee.url, ...d]);
    expect(created.code).toBe(0);
    await connected;
    const channel = /Tunnel channel created: (\S+)/.exec(created.stdout)![1]!;
    const viaTunnel = (url: string) => `${channel}?path=/hooks/${url.split('/hooks/')[1]}`;
    expect(created.stdout).toContain('Hook URLs that changed (3; 2 updated upstream, 1 need you):');
    expect(created.stdout).toContain(`octo/manual (github octo/manual, ${byHand.id}): repaste by hand\n    ${byHand.hookUrl}\n    → ${viaTunnel(byHand.hookUrl)}`);
    expect(created.stdout).toContain('Paste the new URL into GitHub: octo/manual → Settings → Webhooks → Edit → Payload URL');
    expect(created.stdout).toContain(`octo/widgets (github octo/widgets, ${managedGh.id}): updated upstream`);
    expect(ghHook().config).toMatchObject({ url: viaTunnel(managedGh.hookUrl), secret: managedGh.secret, content_type: 'json' });
    // GitLab forgets a hook's token on an edit that does not send it: it was sent again.
    expect(glHook()).toMatchObject({ url: viaTunnel(managedGl.hookUrl), token: managedGl.secret, tag_push_events: true, push_events: false });

    // The provider's next push goes through the channel and is ingested.
    const released = serve.bus.waitFor((e): e is Extract<PushEvent, { type: 'release' }> => e.type === 'release');
    await gh.pushTags('octo/widgets', ['v3.0.0']);
    expect((await released).release.tag).toBe('v3.0.0');

    // The hand-managed hook says what is left to do.
    const listed = json<PackageSummary[]>(await cli(['package', 'list', ...d, '--json']));
    expect(listed.find((p) => p.id === byHand.id)!.hook).toMatchObject({ status: 'unregistered', url: viaTunnel(byHand.hookUrl) });
    expect(listed.find((p) => p.id === byHand.id)!.hook.statusReason).toContain('Until then GitHub keeps sending to');

    // Turned off: the status keeps when it was last connected, and says what happens to the hooks.
    const off = serve.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'disconnected');
    const disconnected = await cli(['tunnel', 'disconnect', ...d]);
    expect(disconnected.stdout).toContain('3 package hook URL(s) still point at');
    expect(disconnected.stdout).toContain('"hookbench tunnel remove"');
    await off;
    const paused = json<PackageSummary[]>(await cli(['package', 'list', ...d, '--json']));
    expect(paused.map((p) => p.hook.status)).toEqual(['failing', 'failing', 'failing']);
    expect(paused[0]!.hook.statusReason).toContain("The tunnel is turned off and this hook's URL goes through it");
    const status = await cli(['tunnel', 'status', ...d]);
    expect(status.stdout).toMatch(/connected +not now; last connected .+, disconnected at /);
    expect(status.stdout).not.toMatch(/connected +-/);

    // Removed: back to direct URLs, upstream too.
    const removed = await cli(['tunnel', 'remove', ...d, '--json']);
    expect(removed.code).toBe(0);
    const back = json<TunnelRemoved>(removed);
    expect(back).toMatchObject({ channelUrl: channel, hookUrlBase: receiverUrl });
    expect(back.hooks.map((h) => [h.packageId, h.outcome, h.newUrl])).toEqual([
      [managedGh.id, 'updated', managedGh.hookUrl],
      [managedGl.id, 'updated', managedGl.hookUrl],
      [byHand.id, 'manual', byHand.hookUrl],
    ]);
    expect(ghHook().config).toMatchObject({ url: managedGh.hookUrl, secret: managedGh.secret });
    expect(glHook()).toMatchObject({ url: managedGl.hookUrl, token: managedGl.secret });
    const direct = json<PackageSummary[]>(await cli(['package', 'list', ...d, '--json']));
    expect(direct.find((p) => p.id === managedGh.id)!.hook).toMatchObject({ status: 'active', url: managedGh.hookUrl });
    expect((await cli(['tunnel', 'status', ...d])).stdout).toMatch(/No tunnel yet/);
    const human = await cli(['tunnel', 'create', '--server', smee.url, ...d, '--json']);
    expect(json<TunnelCreated>(human).hooks.filter((h) => h.outcome === 'updated')).toHaveLength(2);
  });

  it('says which managed hook could not be moved, and how to fix it', async () => {
    const dataDir = tempDataDir();
    const smee = await startFakeSmee();
    const gh = await fakeGitHub();
    gh.addToken('ghp_admin', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
    gh.addRepo('octo/widgets', { id: 4242, admins: ['octocat'] });
    const d = ['--data-dir', dataDir];
    const conn = json<{ id: string }>(await cli(['connection', 'add', '--provider', 'github', '--token', 'ghp_admin', '--base-url', gh.url, ...d, '--json']));
    const pkg = json<{ id: string }>(await cli(['package', 'add', '--connection', conn.id, '--repo', 'octo/widgets', ...d, '--json']));
    // Someone deleted the hook on GitHub meanwhile.
    gh.repo('octo/widgets').hooks.length = 0;
    const created = await cli(['tunnel', 'create', '--server', smee.url, ...d]);
    expect(created.stdout).toContain(`octo/widgets (github octo/widgets, ${pkg.id}): NOT updated upstream`);
    expect(created.stdout).toContain(`Run "hookbench package rotate ${pkg.id}" to create the hook again at the new URL.`);
    const listed = json<PackageSummary[]>(await cli(['package', 'list', ...d, '--json']));
    expect(listed[0]!.hook.status).toBe('failing');
  });
});

const startSite = engineSites();

describe.each(ENGINE_KINDS)('%s store: the tunnel across a restart', (kind) => {
  it('still says when the tunnel was last connected after it is turned off and Hookbench restarts', async () => {
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const first = await startSite(kind, { tunnel: { watchMs: 100, backoffInitialMs: 20 }, providers: { checkIntervalMs: 0 } });
    const connected = first.engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
    await first.engine.invoke('tunnel.create', { server: smee.url });
    const upAt = (await connected).status.connectedAt!;
    const off = (await first.engine.invoke('tunnel.disconnect', {})) as TunnelStatus;
    expect(off).toMatchObject({ state: 'disconnected', connectedAt: null, lastConnectedAt: upAt });
    expect(off.disconnectedAt).toBeGreaterThanOrEqual(upAt);

    const second = await first.restart();
    expect(await second.engine.invoke('tunnel.status', {})).toMatchObject({ state: 'disconnected', enabled: false, lastConnectedAt: upAt, disconnectedAt: off.disconnectedAt });
    expect((await second.cli('tunnel', 'status')).stdout).toMatch(/connected +not now; last connected .+, disconnected at /);
  });
});

describe.each(ENGINE_KINDS)('%s store: hooks changed by another process', (kind) => {
  it('verifies an event through the tunnel signed with the secret another process stored a moment ago', async () => {
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const site = await startSite(kind, { tunnel: { watchMs: 100, backoffInitialMs: 20 }, providers: { checkIntervalMs: 0 } });
    const pkg = (await site.engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' })) as PackageCreated;
    const hookId = pkg.hookUrl.split('/hooks/')[1]!;
    const connected = site.engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
    const created = (await site.engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
    await connected;
    await smee.waitForStreams(1);
    const push = async (tag: string, secret: string) => {
      const body = JSON.stringify(githubTagPush(4242, tag));
      const id = randomUUID();
      const stored = site.engine.bus.waitFor((e): e is DeliveryEvent => e.type === 'delivery' && e.delivery.providerDeliveryId === id);
      expect((await smee.post(`${created.hookUrlBase}/hooks/${hookId}`, body, await githubHeaders('push', body, secret, id))).status).toBe(200);
      return (await stored).delivery;
    };
    expect(await push('v1.0.0', pkg.secret)).toMatchObject({ source: 'tunnel', verdict: 'valid' });

    // Written straight to the store, as another process (a CLI beside a serve, another instance) rotating the hook leaves it: nothing tells this one.
    const secret = 'b2'.repeat(32);
    await siteQuery(site.place)('UPDATE hooks SET secret_sealed = $1 WHERE id = $2', [site.box.seal(secret), hookId]);
    expect(await push('v1.0.1', secret)).toMatchObject({ source: 'tunnel', verdict: 'valid', statusCode: 202 });
  });
});
