// The engine a test talks to, on either store, for suites that run the same body against both:
//   const startSite = engineSites();   // at the top of the file: one PostgreSQL cluster, started on first use
//   describe.each(ENGINE_KINDS)('%s store', (kind) => { it('…', async () => { const { engine, receiverUrl } = await startSite(kind); … }) })
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, onTestFinished } from 'vitest';
import type { Engine, EngineOptions } from '../../src/main/engine';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import { createControlServer } from '../../src/main/engine/control/http-server';
import type { TokenCreated } from '../../src/shared/access-types';
import { startEngine } from './engine';
import { runCli } from './serve-process';
import { startPostgres, type PostgresCluster } from './postgres-cluster';

export const ENGINE_KINDS = ['sqlite', 'postgres'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** What tests use of an engine, alike on both: the control API, its events, its role checks and operations, and a wait for ingest. */
export type SiteEngine = Pick<Engine, 'invoke' | 'bus' | 'access' | 'ops'> & {
  ingest: { idle(): Promise<void> };
  dispatcher: { settle(): Promise<void> };
  /** The smee tunnel where this engine runs it (on a team server, the instance holding the tunnel role): `drained()` settles once what it took is stored. */
  tunnel: { drained(): Promise<void> };
};

export interface Site {
  engine: SiteEngine;
  receiverUrl: string;
  /** Where the data is: a data dir, or a database on the cluster. */
  place: { dataDir: string } | { databaseUrl: string };
  /**
   * Runs `hookbench ARGS` (a real process; needs `npm run build`) on this site: on its data dir,
   * or through `--server` on a control server of its own with an admin token, as a team's CLI does.
   */
  cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** The same command run in this process (no process start: for suites that run hundreds), on the same data dir or server. */
  cliHere(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

export type SiteOptions = Pick<EngineOptions, 'bodyLimit' | 'now' | 'receiverLimits' | 'retryDelayScale' | 'tunnel' | 'providers'> & {
  /** false: the background work (ingest, sends, pruning) never starts, for tests that must not race it. Default true. */
  workers?: boolean;
};

/** A box sealing with one key, as every instance of a team server shares it. */
export function sharedKeyBox(key: Buffer = randomBytes(32)): SecretBox {
  return keyRingBox(
    'shared-key',
    () => [key],
    () => key,
    'HOOKBENCH_SECRET_KEY',
  );
}

/** A control server on the engine (loopback), with an admin token for the CLI, closed when the test ends. */
async function controlServerFor(engine: SiteEngine): Promise<{ url: string; token: string }> {
  const control = createControlServer({ invoke: engine.invoke, bus: engine.bus, uiDir: null, access: engine.access, ops: engine.ops });
  const { url } = await control.listen({ port: 0 });
  onTestFinished(() => control.close());
  const { token } = (await engine.invoke('tokens.create', { name: `cli-${randomUUID().slice(0, 8)}`, role: 'admin' })) as TokenCreated;
  return { url, token };
}

/** The whole CLI loaded into this process, only for the files that run it here. */
const cliInProcess = async (args: string[]) => (await import('./in-process-cli')).cliInProcess(args);

/** Runs `run` with these variables set in this process, as a shell would set them for one command. */
async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Starts engines on either store, closed when their test ends: the desktop engine on a new data dir,
 * or one team server instance on a new database of a throwaway cluster (started on first use,
 * stopped after the file's tests), both with their receiver listening and their workers running.
 */
export function engineSites(): (kind: EngineKind, options?: SiteOptions) => Promise<Site> {
  let cluster: Promise<PostgresCluster> | null = null;
  afterAll(async () => (await cluster)?.stop());
  return async (kind, { workers = true, ...options } = {}) => {
    if (kind === 'sqlite') {
      const { engine, receiverUrl } = await startEngine(options, { workers });
      return {
        engine,
        receiverUrl,
        place: { dataDir: engine.dataDir },
        cli: (...args) => runCli([...args, '--data-dir', engine.dataDir]),
        cliHere: (...args) => cliInProcess([...args, '--data-dir', engine.dataDir]),
      };
    }
    cluster ??= startPostgres({ fsync: false });
    const databaseUrl = (await cluster).createDatabase(`site_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const engine = await createTeamEngine({ url: databaseUrl, box: sharedKeyBox(), ...options });
    onTestFinished(() => engine.close());
    const receiverUrl = await engine.startReceiver({ port: 0 });
    if (workers) await engine.startWorkers();
    let server: Promise<{ url: string; token: string }> | null = null;
    /** The server named as a team's shell names it: --server, or HOOKBENCH_SERVER where --server names a smee server (tunnel create). */
    const onServer = async (args: string[]): Promise<{ args: string[]; env: Record<string, string> }> => {
      const { url, token } = await (server ??= controlServerFor(engine));
      return args[0] === 'tunnel' && args[1] === 'create' ? { args, env: { HOOKBENCH_TOKEN: token, HOOKBENCH_SERVER: url } } : { args: [...args, '--server', url], env: { HOOKBENCH_TOKEN: token } };
    };
    const cli: Site['cli'] = async (...words) => {
      const { args, env } = await onServer(words);
      return runCli(args, env);
    };
    const cliHere: Site['cliHere'] = async (...words) => {
      const { args, env } = await onServer(words);
      return withEnv(env, () => cliInProcess(args));
    };
    return { engine, receiverUrl, place: { databaseUrl }, cli, cliHere };
  };
}
