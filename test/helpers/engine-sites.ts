// The engine a test talks to, on either store, for suites that run the same body against both:
//   const startSite = engineSites();   // at the top of the file: one PostgreSQL cluster, started on first use
//   describe.each(ENGINE_KINDS)('%s store', (kind) => { it('…', async () => { const { engine, receiverUrl } = await startSite(kind); … }) })
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, onTestFinished } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/main/engine';
import { policyFrom } from '../../src/main/engine/receiver/access';
import { saveAccess } from '../../src/main/engine/receiver/access-settings';
import { setSetting } from '../../src/main/engine/store/settings';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import { publicUrlOption } from '../../src/main/cli/serve-lifecycle';
import { createControlServer } from '../../src/main/engine/control/http-server';
import type { TokenCreated } from '../../src/shared/access-types';
import { tempDataDir } from './data-dir';
import { runCli } from './serve-process';
import { startPostgres, type PostgresCluster } from './postgres-cluster';
import { siteQuery, type SiteQuery } from './site-query';

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
  /** What its secrets are sealed with at rest. */
  box: SecretBox;
  /**
   * Runs `hookbench ARGS` (a real process; needs `npm run build`) on this site: on its data dir,
   * or through `--server` on a control server of its own with an admin token, as a team's CLI does.
   */
  cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** The same command run in this process (no process start: for suites that run hundreds), on the same data dir or server. */
  cliHere(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts the workers of a site started with `workers: false` (ingest, sending, forwarding). */
  startWorkers(): Promise<void>;
  /** Stops the engine (as a stopping serve does; again is a no-op): what it had in flight is handed back. */
  close(): Promise<void>;
  /** Stops this engine and starts another on the same data dir or database with the same options, as restarting Hookbench does. */
  restart(): Promise<Site>;
  /** Plain SQL on the store ($1-style parameters), for putting rows as a crash or an older version left them. */
  sql: SiteQuery;
}

export type SiteOptions = Pick<EngineOptions, 'bodyLimit' | 'now' | 'receiverLimits' | 'retryDelayScale' | 'providers' | 'tunnel' | 'passBackWaitMs'> & {
  /** On the store of an earlier site: the next start after a restart, or a second process (instance) beside it. */
  at?: Site['place'];
  /** false: the background work (ingest, sends, forwarding, pruning) waits for `startWorkers()`, for tests that must not race it. Default true. */
  workers?: boolean;
  /** Where hook URLs point, as `serve --public-url` sets it: a data dir's setting, a team instance's option. */
  publicUrl?: string;
  /** Direct mode, as `serve --allow/--trust-proxy` sets it: a data dir's settings, a team instance's option. */
  receiverAccess?: { allow: string[]; trustedProxies: string[] };
};

/** The store's own SQL, on a connection opened at the first use. */
function lazyQuery(place: Site['place']): SiteQuery {
  let query: SiteQuery | null = null;
  return (text, params) => (query ??= siteQuery(place))(text, params);
}

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

/** Closes once however often asked: when its test ends, or before, by a restart. */
function closedOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  const once = () => (closing ??= close());
  onTestFinished(once);
  return once;
}

async function sqliteSite(dataDir: string, options: SiteOptions): Promise<Site> {
  const { at: _at, workers = true, publicUrl, receiverAccess, ...engineOptions } = options;
  const engine = createEngine({ dataDir, ...engineOptions });
  if (publicUrl !== undefined) setSetting(engine.db, 'receiver.publicUrl', publicUrlOption(publicUrl));
  if (receiverAccess) saveAccess(engine.db, receiverAccess);
  const close = closedOnce(() => engine.close());
  const receiverUrl = await engine.startReceiver({ port: 0 });
  if (workers) await engine.startWorkers();
  return {
    engine,
    receiverUrl,
    place: { dataDir },
    box: engine.box,
    cli: (...args) => runCli([...args, '--data-dir', dataDir]),
    cliHere: (...args) => cliInProcess([...args, '--data-dir', dataDir]),
    startWorkers: () => engine.startWorkers(),
    close,
    restart: async () => (await close(), sqliteSite(dataDir, options)),
    sql: lazyQuery({ dataDir }),
  };
}

async function teamSite(databaseUrl: string, box: SecretBox, options: SiteOptions): Promise<Site> {
  const { at: _at, workers = true, publicUrl, receiverAccess, ...engineOptions } = options;
  const engine = await createTeamEngine({
    url: databaseUrl,
    box,
    ...engineOptions,
    ...(publicUrl !== undefined ? { publicUrl: publicUrlOption(publicUrl) } : {}),
    ...(receiverAccess ? { receiverAccess: policyFrom(receiverAccess.allow, receiverAccess.trustedProxies) } : {}),
  });
  const close = closedOnce(() => engine.close());
  const receiverUrl = await engine.startReceiver({ port: 0 });
  if (workers) await engine.startWorkers();
  let server: Promise<{ url: string; token: string }> | null = null;
  /** The server named as a team's shell names it: --server, or HOOKBENCH_SERVER where --server names a smee server (tunnel create). */
  const onServer = async (args: string[]): Promise<{ args: string[]; env: Record<string, string> }> => {
    const { url, token } = await (server ??= controlServerFor(engine));
    return args[0] === 'tunnel' && args[1] === 'create' ? { args, env: { HOOKBENCH_TOKEN: token, HOOKBENCH_SERVER: url } } : { args: [...args, '--server', url], env: { HOOKBENCH_TOKEN: token } };
  };
  return {
    engine,
    receiverUrl,
    place: { databaseUrl },
    box,
    cli: async (...words) => {
      const { args, env } = await onServer(words);
      return runCli(args, env);
    },
    cliHere: async (...words) => {
      const { args, env } = await onServer(words);
      return withEnv(env, () => cliInProcess(args));
    },
    startWorkers: () => engine.startWorkers(),
    close,
    restart: async () => (await close(), teamSite(databaseUrl, box, options)),
    sql: lazyQuery({ databaseUrl }),
  };
}

/**
 * Starts engines on either store, closed when their test ends: the desktop engine on a new data dir,
 * or one team server instance on a new database of a throwaway cluster (started on first use,
 * stopped after the file's tests), both with their receiver listening and their workers running.
 */
export function engineSites(key: Buffer = randomBytes(32)): (kind: EngineKind, options?: SiteOptions) => Promise<Site> {
  let cluster: Promise<PostgresCluster> | null = null;
  // One key per file (`key`, the team's), as a team's instances share theirs: a site started on an earlier one's database opens its secrets.
  afterAll(async () => (await cluster)?.stop());
  return async (kind, options = {}) => {
    const { at } = options;
    if (kind === 'sqlite') return sqliteSite(at && 'dataDir' in at ? at.dataDir : tempDataDir(), options);
    cluster ??= startPostgres({ fsync: false });
    const databaseUrl = at && 'databaseUrl' in at ? at.databaseUrl : (await cluster).createDatabase(`site_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    return teamSite(databaseUrl, sharedKeyBox(key), options);
  };
}
