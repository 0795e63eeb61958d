import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { TunnelCreated } from '../../src/shared/types';
import { createEngine, type Engine } from '../../src/main/engine';
import { pgCoordination } from '../../src/main/engine/team/pg-coordination';
import type { ConnectionAdded, PackageConnected } from '../../src/shared/types';
import type { FakeGitHub } from '../fakes/github';
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
async function startTeamEngine(url: string, checkIntervalMs = 30) {
  const coordination = pgCoordination(url);
  const engine = createEngine({
    dataDir: tempDataDir(),
    coordination,
    tunnel: { backoffInitialMs: 20, backoffMaxMs: 200, watchMs: 100, stallMs: 5_000 },
    providers: { checkIntervalMs, pollMs: 10 },
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
/** A GitHub with two repositories octocat administers, and a token for it. */
async function gitHubWithTwoRepos() {
  const gh = await fakeGitHub();
  gh.addToken('ghp_good', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
  gh.addRepo('octo/first', { id: 1001, admins: ['octocat'] });
  gh.addRepo('octo/second', { id: 1002, admins: ['octocat'] });
  return gh;
}

/** Adds a package managed through the fake GitHub, and waits for its hook's ping. */
async function addManaged(gh: FakeGitHub, engine: Engine, repo: string): Promise<PackageConnected> {
  const conn = (await engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
  const verified = nextActivity(engine, 'hook_verified');
  const added = (await engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo })) as PackageConnected;
  await verified;
  return added;
}

/** The upstream check's reads of a hook, in order. */
const HOOK_READ = /^\/repos\/octo\/\w+\/hooks\/\d+$/;
const hookReads = (gh: FakeGitHub) => gh.log.filter((r) => r.method === 'GET' && HOOK_READ.test(r.path)).map((r) => r.path);

async function cutRoleSessions(url: string, instanceId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`hookbench role ${instanceId}`]);
  } finally {
    await client.end();
  }
}

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
    /** The periodic check's reads of one repository's hook. */
    const checksOf = (repo: string) => gh.log.filter((r) => r.method === 'GET' && new RegExp(`^/repos/${repo}/hooks/\\d+$`).test(r.path)).length;

    const first = await startTeamEngine(url);
    await waitUntil(async () => isLive(first.engine), Boolean);
    const second = await startTeamEngine(url);
    await waitUntil(
      () => roleRequests(url, second.instanceId),
      (n) => n === 2,
    );
    await addManaged(gh, first.engine, 'octo/first');
    await addManaged(gh, second.engine, 'octo/second');

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

  it('ends a periodic check after the package under way when its holder loses the role, rather than checking the rest', async () => {
    const url = cluster.createDatabase('engines_monitor_cut');
    const gh = await gitHubWithTwoRepos();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    onTestFinished(() => void process.off('warning', onWarning));
    const stoppedRole = () => warnings.filter((m) => m.startsWith('Stopped the provider-monitor role')).length;
    // One run each time the role is taken, none in between.
    const { engine, instanceId } = await startTeamEngine(url, 60 * 60_000);
    await addManaged(gh, engine, 'octo/first');
    await addManaged(gh, engine, 'octo/second');

    // The role taken again after a cut starts a run: its first read is held at the fake GitHub.
    const held = gh.hold('GET', HOOK_READ);
    await cutRoleSessions(url, instanceId);
    await held.reached;
    const heldPath = hookReads(gh).at(-1)!;
    const readsBefore = hookReads(gh).length;
    await cutRoleSessions(url, instanceId);
    await waitUntil(
      async () => stoppedRole(),
      (n) => n === 2,
    );
    held.release();

    // The next read is the first package again, by the run after the role is taken once more; never the second package of the stopped run.
    await waitUntil(
      async () => hookReads(gh).length,
      (n) => n > readsBefore,
      8_000,
    );
    expect(hookReads(gh)[readsBefore]).toBe(heldPath);
  });
});
