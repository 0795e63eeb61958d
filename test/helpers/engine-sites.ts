// The engine a test talks to, on either store, for suites that run the same body against both:
//   const startSite = engineSites();   // at the top of the file: one PostgreSQL cluster, started on first use
//   describe.each(ENGINE_KINDS)('%s store', (kind) => { it('…', async () => { const { engine, receiverUrl } = await startSite(kind); … }) })
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, onTestFinished } from 'vitest';
import type { Engine, EngineOptions } from '../../src/main/engine';
import { policyFrom } from '../../src/main/engine/receiver/access';
import { saveAccess } from '../../src/main/engine/receiver/access-settings';
import { setSetting } from '../../src/main/engine/store/settings';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import { publicUrlOption } from '../../src/main/cli/serve-lifecycle';
import { createControlServer } from '../../src/main/engine/control/http-server';
import type { TokenCreated } from '../../src/shared/access-types';
import { startEngine } from './engine';
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
  /**
   * Runs `hookbench ARGS` (a real process; needs `npm run build`) on this site: on its data dir,
   * or through `--server` on a control server of its own with an admin token, as a team's CLI does.
   */
  cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export type SiteOptions = Pick<EngineOptions, 'bodyLimit' | 'now' | 'receiverLimits' | 'retryDelayScale'> & {
  /** Where hook URLs point, as `serve --public-url` sets it: a data dir's setting, a team instance's option. */
  publicUrl?: string;
  /** Direct mode, as `serve --allow/--trust-proxy` sets it: a data dir's settings, a team instance's option. */
  receiverAccess?: { allow: string[]; trustedProxies: string[] };
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

/**
 * Starts engines on either store, closed when their test ends: the desktop engine on a new data dir,
 * or one team server instance on a new database of a throwaway cluster (started on first use,
 * stopped after the file's tests), both with their receiver listening and their workers running.
 */
export function engineSites(): (kind: EngineKind, options?: SiteOptions) => Promise<Site> {
  let cluster: Promise<PostgresCluster> | null = null;
  afterAll(async () => (await cluster)?.stop());
  return async (kind, options = {}) => {
    const { publicUrl: givenUrl, receiverAccess, ...engineOptions } = options;
    const publicUrl = givenUrl === undefined ? undefined : publicUrlOption(givenUrl);
    if (kind === 'sqlite') {
      const { engine, receiverUrl } = await startEngine(engineOptions);
      if (publicUrl !== undefined) setSetting(engine.db, 'receiver.publicUrl', publicUrl);
      if (receiverAccess) saveAccess(engine.db, receiverAccess);
      return { engine, receiverUrl, place: { dataDir: engine.dataDir }, cli: (...args) => runCli([...args, '--data-dir', engine.dataDir]) };
    }
    cluster ??= startPostgres({ fsync: false });
    const databaseUrl = (await cluster).createDatabase(`site_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const engine = await createTeamEngine({
      url: databaseUrl,
      box: sharedKeyBox(),
      ...engineOptions,
      ...(publicUrl !== undefined ? { publicUrl } : {}),
      ...(receiverAccess ? { receiverAccess: policyFrom(receiverAccess.allow, receiverAccess.trustedProxies) } : {}),
    });
    onTestFinished(() => engine.close());
    const receiverUrl = await engine.startReceiver({ port: 0 });
    await engine.startWorkers();
    let server: Promise<{ url: string; token: string }> | null = null;
    const cli: Site['cli'] = async (...args) => {
      const { url, token } = await (server ??= controlServerFor(engine));
      return runCli([...args, '--server', url], { HOOKBENCH_TOKEN: token });
    };
    return { engine, receiverUrl, place: { databaseUrl }, cli };
  };
}
