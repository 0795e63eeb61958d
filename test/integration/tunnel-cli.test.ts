import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { TunnelCreated, TunnelStatus } from '../../src/shared/types';
import { createEngine } from '../../src/main/engine';
import { tempDataDir } from '../helpers/data-dir';
import { cliInProcess } from '../helpers/in-process-cli';
import { startFakeSmee } from '../helpers/fake-smee';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli as runBin, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;

const cli = cliInProcess;

describe('tunnel from the CLI', () => {
  it('a running engine (serve) connects a tunnel created by the CLI within seconds, and `tunnel status` reports it', async () => {
    const dataDir = tempDataDir();
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    // What `hookbench serve` runs: receiver, workers, and the tunnel watching the settings.
    const serve = createEngine({ dataDir, tunnel: { watchMs: 100, backoffInitialMs: 20 } });
    onTestFinished(() => serve.close());
    await serve.startReceiver({ port: 0 });
    await serve.startWorkers();

    const none = await cli(['tunnel', 'status', '--data-dir', dataDir]);
    expect(none.stdout).toMatch(/No tunnel yet/);

    const connected = serve.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
    const created = await cli(['tunnel', 'create', '--server', smee.url, '--data-dir', dataDir, '--json']);
    expect(created.code).toBe(0);
    const channel = JSON.parse(created.stdout) as TunnelCreated;
    expect(channel.channelUrl.startsWith(smee.url + '/')).toBe(true);
    expect((await connected).status.channelUrl).toBe(channel.channelUrl);
    await smee.waitForStreams(1, new URL(channel.channelUrl).pathname.slice(1));

    const status = await cli(['tunnel', 'status', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(status.stdout) as TunnelStatus).toMatchObject({ state: 'connected', source: 'saved', pid: process.pid, channelUrl: channel.channelUrl });
    const human = await cli(['tunnel', 'status', '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/^Tunnel connected/);
    expect(human.stdout).toContain(channel.channelUrl);

    // A package added by the CLI gets a hook URL through the tunnel, and the serve ingests from it.
    const added = await cli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '4242', '--data-dir', dataDir, '--json']);
    const pkg = JSON.parse(added.stdout) as { hookUrl: string; secret: string };
    expect(pkg.hookUrl.startsWith(`${channel.channelUrl}?path=/hooks/`)).toBe(true);
    const body = JSON.stringify(githubTagPush(4242, 'v1.0.0'));
    const released = serve.bus.waitFor((e): e is Extract<PushEvent, { type: 'release' }> => e.type === 'release');
    expect((await smee.post(pkg.hookUrl, body, await githubHeaders('push', body, pkg.secret))).status).toBe(200);
    expect((await released).release.version).toBe('1.0.0');

    // Turned off from the CLI: the serve follows.
    const off = serve.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'disconnected');
    expect((await cli(['tunnel', 'disconnect', '--data-dir', dataDir])).code).toBe(0);
    await off;
    await vi.waitFor(() => expect(smee.streams()).toBe(0));
  });

  it('refuses a server that is not a URL, and says when the smee server cannot be reached', async () => {
    const dataDir = tempDataDir();
    const bad = await cli(['tunnel', 'create', '--server', 'not a url', '--data-dir', dataDir, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr).error.code).toBe('invalid_params');
    const smee = await startFakeSmee();
    const url = smee.url;
    await smee.close();
    const down = await cli(['tunnel', 'create', '--server', url, '--data-dir', dataDir]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/Could not reach the smee server at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('the built `hookbench serve` connects a tunnel created by `hookbench tunnel create` (separate processes)', async () => {
    const dataDir = tempDataDir();
    const smee = await startFakeSmee({ pingIntervalMs: 200 });
    const serve = await startServe(dataDir);
    onTestFinished(async () => {
      await serve.stop();
    });
    const created = await runBin(['tunnel', 'create', '--server', smee.url, '--data-dir', dataDir, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const channel = JSON.parse(created.stdout) as TunnelCreated;
    const status = await waitUntil(
      async () => JSON.parse((await runBin(['tunnel', 'status', '--data-dir', dataDir, '--json'])).stdout) as TunnelStatus,
      (s) => s.state === 'connected',
    );
    expect(status).toMatchObject({ channelUrl: channel.channelUrl, source: 'saved', pid: serve.child.pid });
    await smee.waitForStreams(1);

    const pkg = JSON.parse(
      (await runBin(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '4242', '--data-dir', dataDir, '--json'])).stdout,
    ) as { id: string; hookUrl: string; secret: string };
    const body = JSON.stringify(githubTagPush(4242, 'v2.1.0'), null, 2);
    expect((await smee.post(pkg.hookUrl, body, await githubHeaders('push', body, pkg.secret))).status).toBe(200);
    const releases = await waitUntil(
      async () => (JSON.parse((await runBin(['release', 'list', '--package', pkg.id, '--data-dir', dataDir, '--json'])).stdout) as { items: { version: string }[] }).items,
      (list) => list.length > 0,
    );
    expect(releases).toMatchObject([{ version: '2.1.0' }]);
    expect(await serve.stop('SIGTERM')).toBe(0);
    const after = JSON.parse((await runBin(['tunnel', 'status', '--data-dir', dataDir, '--json'])).stdout) as TunnelStatus;
    expect(after.state).toBe('disconnected');
  });
});
