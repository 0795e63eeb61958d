// The engine a test talks to, on either store, for suites that run the same body against both:
//   const startSite = engineSites();   // at the top of the file: one PostgreSQL cluster, started on first use
//   describe.each(ENGINE_KINDS)('%s store', (kind) => { it('…', async () => { const { engine, receiverUrl } = await startSite(kind); … }) })
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, onTestFinished } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/main/engine';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import { createControlServer } from '../../src/main/engine/control/http-server';
import type { TokenCreated } from '../../src/shared/access-types';
import { tempDataDir } from './data-dir';
import { runCli } from './serve-process';
import { startPostgres, type PostgresCluster } from './postgres-cluster';

export const ENGINE_KINDS = ['sqlite', 'postgres'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** What tests use of an engine, alike on both: the control API, its events, its role checks and operations, and a wait for ingest. */
export type SiteEngine = Pick<Engine, 'invoke' | 'bus' | 'access' | 'ops'> & { ingest: { idle(): Promise<void> }; dispatcher: { settle(): Promise<void> } };

export interface Site {
  engine: SiteEngine;
  receiverUrl: string;
  /** Where the data is: a data dir, or a database on the cluster. */
  place: { dataDir: string } | { databaseUrl: string };
  /** What its secrets are sealed with at rest. */
  box: SecretBox;
  /**
   * Runs `hookbench ARGS` (a real process; needs `npm run build`) on this site: on its data dir,
   * or through `--server` on a control server of its own with an admin token, as a team's CLI does.
   */
  cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Stops this engine and starts another on the same data dir or database with the same options, as restarting Hookbench does. */
  restart(): Promise<Site>;
}

export type SiteOptions = Pick<EngineOptions, 'bodyLimit' | 'now' | 'receiverLimits' | 'retryDelayScale' | 'providers' | 'tunnel'>;

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

/** Closes once however often asked: when its test ends, or before, by a restart. */
function closedOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  const once = () => (closing ??= close());
  onTestFinished(once);
  return once;
}

async function sqliteSite(options: SiteOptions, dataDir = tempDataDir()): Promise<Site> {
  const engine = createEngine({ dataDir, ...options });
  const close = closedOnce(() => engine.close());
  const receiverUrl = await engine.startReceiver({ port: 0 });
  await engine.startWorkers();
  return {
    engine,
    receiverUrl,
    place: { dataDir },
    box: engine.box,
    cli: (...args) => runCli([...args, '--data-dir', dataDir]),
    restart: async () => (await close(), sqliteSite(options, dataDir)),
  };
}

async function teamSite(databaseUrl: string, box: SecretBox, options: SiteOptions): Promise<Site> {
  const engine = await createTeamEngine({ url: databaseUrl, box, ...options });
  const close = closedOnce(() => engine.close());
  const receiverUrl = await engine.startReceiver({ port: 0 });
  await engine.startWorkers();
  let server: Promise<{ url: string; token: string }> | null = null;
  const cli: Site['cli'] = async (...args) => {
    const { url, token } = await (server ??= controlServerFor(engine));
    return runCli([...args, '--server', url], { HOOKBENCH_TOKEN: token });
  };
  return { engine, receiverUrl, place: { databaseUrl }, box, cli, restart: async () => (await close(), teamSite(databaseUrl, box, options)) };
}

/**
 * Starts engines on either store, closed when their test ends: the desktop engine on a new data dir,
 * or one team server instance on a new database of a throwaway cluster (started on first use,
 * stopped after the file's tests), both with their receiver listening and their workers running.
 */
export function engineSites(): (kind: EngineKind, options?: SiteOptions) => Promise<Site> {
  let cluster: Promise<PostgresCluster> | null = null;
  afterAll(async () => (await cluster)?.stop());
  return async (kind, options = {}) => {
    if (kind === 'sqlite') return sqliteSite(options);
    cluster ??= startPostgres({ fsync: false });
    const databaseUrl = (await cluster).createDatabase(`site_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    return teamSite(databaseUrl, sharedKeyBox(), options);
  };
}
