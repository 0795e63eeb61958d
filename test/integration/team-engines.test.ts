import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { TunnelCreated } from '../../src/shared/types';
import { createEngine, type Engine } from '../../src/main/engine';
import { pgCoordination } from '../../src/main/engine/team/pg-coordination';
import type { ConnectionAdded, PackageConnected } from '../../src/shared/types';
import { fakeGitHub, nextActivity } from '../fakes/harness';
import { tempDataDir } from '../helpers/data-dir';
import { startFakeSmee } from '../helpers/fake-smee';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { waitUntil } from '../helpers/wait-until';

type TunnelEvent = Extract<PushEvent, { type: 'tunnel' }>;

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

/** An engine coordinated through the database at url, serving until closed (by the test or when it ends). */
async function startTeamEngine(url: string) {
  const coordination = pgCoordination(url);
  const engine = createEngine({
    dataDir: tempDataDir(),
    coordination,
    tunnel: { backoffInitialMs: 20, backoffMaxMs: 200, watchMs: 100, stallMs: 5_000 },
    providers: { checkIntervalMs: 30, pollMs: 10 },
  });
  let closed: Promise<void> | null = null;
  const close = () => (closed ??= engine.close());
  onTestFinished(close);
  await engine.startReceiver({ port: 0 });
  await engine.startWorkers();
  await engine.peersListening();
  return { engine, instanceId: coordination.instanceId, close };
}

/** How many of an instance's role sessions have asked for their role and been answered. */
async function roleRequests(url: string, instanceId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE '%pg_try_advisory_lock%'", [
      `hookbench role ${instanceId}`,
    ]);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/** The fake smee's name for a channel: the last segment of its URL. */
const channelOf = (created: TunnelCreated) => new URL(created.channelUrl).pathname.slice(1);
const isLive = (engine: Engine) => engine.tunnel.status().source === 'live';

describe('team server: engines sharing one database', () => {
  it('runs the tunnel in one of two engines; the other shows its status live and takes the tunnel over within seconds when the first closes', async () => {
    const url = cluster.createDatabase('engines_tunnel');
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const first = await startTeamEngine(url);
    await waitUntil(async () => isLive(first.engine), Boolean);
    const second = await startTeamEngine(url);
    // Both of its roles (tunnel, provider monitor) asked and were refused: the first holds them.
    await waitUntil(
      () => roleRequests(url, second.instanceId),
      (n) => n === 2,
    );
    expect(isLive(second.engine)).toBe(false);

    // A channel configured on the second engine is not connected by it while the first holds the tunnel.
    const waiting = (await second.engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
    expect(smee.streams(channelOf(waiting))).toBe(0);

    // The first connects its channel; the second engine's windows see it through the bridge.
    const seen = second.engine.bus.waitFor((e): e is TunnelEvent => e.type === 'tunnel' && e.status.state === 'connected');
    const running = (await first.engine.invoke('tunnel.create', { server: smee.url })) as TunnelCreated;
    expect((await seen).status.channelUrl).toBe(running.channelUrl);
    await smee.waitForStreams(1, channelOf(running));

    await first.close();
    await smee.waitForStreams(1, channelOf(waiting), 8_000);
    expect(isLive(second.engine)).toBe(true);
    expect(smee.streams(channelOf(running))).toBe(0);
  });

  it('runs the periodic upstream hook check in one engine only; another takes it over when that one closes', async () => {
    const url = cluster.createDatabase('engines_monitor');
    const gh = await fakeGitHub();
    gh.addToken('ghp_good', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
    gh.addRepo('octo/first', { id: 1001, admins: ['octocat'] });
    gh.addRepo('octo/second', { id: 1002, admins: ['octocat'] });
    /** Adds a package managed through the fake GitHub, and waits for its hook's ping. */
    const addManaged = async (engine: Engine, repo: string) => {
      const conn = (await engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
      const verified = nextActivity(engine, 'hook_verified');
      const added = (await engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo })) as PackageConnected;
      await verified;
      return added;
    };
    /** The periodic check's reads of one repository's hook. */
    const checksOf = (repo: string) => gh.log.filter((r) => r.method === 'GET' && new RegExp(`^/repos/${repo}/hooks/\\d+$`).test(r.path)).length;

    const first = await startTeamEngine(url);
    await waitUntil(async () => isLive(first.engine), Boolean);
    const second = await startTeamEngine(url);
    await waitUntil(
      () => roleRequests(url, second.instanceId),
      (n) => n === 2,
    );
    await addManaged(first.engine, 'octo/first');
    await addManaged(second.engine, 'octo/second');

    // Every 30 ms the holder checks its package; the other engine checks nothing.
    const checkedBefore = checksOf('octo/first');
    await waitUntil(
      async () => checksOf('octo/first'),
      (n) => n >= checkedBefore + 5,
    );
    expect(checksOf('octo/second')).toBe(0);

    await first.close();
    await waitUntil(
      async () => checksOf('octo/second'),
      (n) => n >= 3,
      8_000,
    );
  });
});
