import { describe, expect, it, vi } from 'vitest';
import { servedSite } from '../helpers/served-site';
import type { PushEvent } from '../../src/shared/contract';
import type { TunnelCreated, TunnelStatus } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { startFakeSmee } from '../helpers/fake-smee';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { waitUntil } from '../helpers/wait-until';

type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;

const startSite = engineSites();

// On both stores: the CLI on a data dir, and through the server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('tunnel from the CLI', () => {
    it('a running engine (serve) connects a tunnel created by the CLI within seconds, and `tunnel status` reports it', async () => {
      const smee = await startFakeSmee({ pingIntervalMs: 50 });
      // What `hookbench serve` runs: receiver, workers, and the tunnel watching the settings.
      const { engine: serve, receiverUrl, cliHere: cli } = await startSite(kind, { tunnel: { watchMs: 100, backoffInitialMs: 20 } });

      const none = await cli('tunnel', 'status');
      expect(none.stdout).toMatch(/No tunnel yet/);

      const connected = serve.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
      const created = await cli('tunnel', 'create', '--server', smee.url, '--json');
      expect(created.code, created.stderr).toBe(0);
      const channel = JSON.parse(created.stdout) as TunnelCreated;
      expect(channel.channelUrl.startsWith(smee.url + '/')).toBe(true);
      expect((await connected).status.channelUrl).toBe(channel.channelUrl);
      await smee.waitForStreams(1, new URL(channel.channelUrl).pathname.slice(1));

      const status = await cli('tunnel', 'status', '--json');
      // The CLI on a data dir reads what the serve saved; a team server's instance holding the connection answers live.
      const answered = kind === 'sqlite' ? 'saved' : 'live';
      expect(JSON.parse(status.stdout) as TunnelStatus).toMatchObject({ state: 'connected', source: answered, pid: process.pid, channelUrl: channel.channelUrl });
      const human = await cli('tunnel', 'status');
      expect(human.stdout).toMatch(/^Tunnel connected/);
      expect(human.stdout).toContain(channel.channelUrl);

      // A package added by the CLI gets a hook URL through the tunnel, and the serve ingests from it.
      const added = await cli('package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '4242', '--json');
      const pkg = JSON.parse(added.stdout) as { hookUrl: string; secret: string };
      const hookPath = `/hooks/${pkg.hookUrl.split('/hooks/')[1]!}`;
      // A team server's hook URLs stay on its own address (providers reach it); its tunnel still takes what is sent through the channel.
      expect(pkg.hookUrl).toBe(kind === 'sqlite' ? `${channel.channelUrl}?path=${hookPath}` : `${receiverUrl}${hookPath}`);
      const body = JSON.stringify(githubTagPush(4242, 'v1.0.0'));
      const released = serve.bus.waitFor((e): e is Extract<PushEvent, { type: 'release' }> => e.type === 'release');
      expect((await smee.post(`${channel.channelUrl}?path=${hookPath}`, body, await githubHeaders('push', body, pkg.secret))).status).toBe(200);
      expect((await released).release.version).toBe('1.0.0');

      // Turned off from the CLI: the serve follows.
      const off = serve.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'disconnected');
      expect((await cli('tunnel', 'disconnect')).code).toBe(0);
      await off;
      await vi.waitFor(() => expect(smee.streams()).toBe(0));
    });

    it('refuses a server that is not a URL, and says when the smee server cannot be reached', async () => {
      const { cliHere: cli } = await startSite(kind);
      const bad = await cli('tunnel', 'create', '--server', 'not a url', '--json');
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stderr).error.code).toBe('invalid_params');
      const smee = await startFakeSmee();
      const url = smee.url;
      await smee.close();
      const down = await cli('tunnel', 'create', '--server', url);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/Could not reach the smee server at http:\/\/127\.0\.0\.1:\d+/);
    });

    it('the built `hookbench serve` connects a tunnel created by `hookbench tunnel create` (separate processes)', async () => {
      const smee = await startFakeSmee({ pingIntervalMs: 200 });
      const server = await servedSite(startSite, kind);
      const created = await server.cli('tunnel', 'create', '--server', smee.url, '--json');
      expect(created.code, created.stderr).toBe(0);
      const channel = JSON.parse(created.stdout) as TunnelCreated;
      const status = await waitUntil(
        async () => JSON.parse((await server.cli('tunnel', 'status', '--json')).stdout) as TunnelStatus,
        (s) => s.state === 'connected',
      );
      expect(status).toMatchObject({ channelUrl: channel.channelUrl, source: kind === 'sqlite' ? 'saved' : 'live', pid: server.pid });
      await smee.waitForStreams(1);

      const pkg = JSON.parse((await server.cli('package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '4242', '--json')).stdout) as {
        id: string;
        hookUrl: string;
        secret: string;
      };
      const body = JSON.stringify(githubTagPush(4242, 'v2.1.0'), null, 2);
      const throughChannel = `${channel.channelUrl}?path=/hooks/${pkg.hookUrl.split('/hooks/')[1]!}`;
      expect((await smee.post(throughChannel, body, await githubHeaders('push', body, pkg.secret))).status).toBe(200);
      const releases = await waitUntil(
        async () => (JSON.parse((await server.cli('release', 'list', '--package', pkg.id, '--json')).stdout) as { items: { version: string }[] }).items,
        (list) => list.length > 0,
      );
      expect(releases).toMatchObject([{ version: '2.1.0' }]);
      // Stopped, a serve on a data dir leaves the tunnel saved as disconnected. (A team server stopped leaves no instance to ask.)
      if (!server.stop) return;
      expect(await server.stop()).toBe(0);
      const after = JSON.parse((await server.cli('tunnel', 'status', '--json')).stdout) as TunnelStatus;
      expect(after.state).toBe('disconnected');
    });
  });
});
