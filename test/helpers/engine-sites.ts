// The engine a test talks to, on either store, for suites that run the same body against both:
//   const startSite = engineSites();   // at the top of the file: one PostgreSQL cluster, started on first use
//   describe.each(ENGINE_KINDS)('%s store', (kind) => { it('…', async () => { const { engine, receiverUrl } = await startSite(kind); … }) })
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, onTestFinished } from 'vitest';
import type { Engine, EngineOptions } from '../../src/main/engine';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import { startEngine } from './engine';
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
}

export type SiteOptions = Pick<EngineOptions, 'bodyLimit' | 'now' | 'receiverLimits' | 'retryDelayScale'>;

/** A box sealing with one key, as every instance of a team server shares it. */
export function sharedKeyBox(key: Buffer = randomBytes(32)): SecretBox {
  return keyRingBox(
    'shared-key',
    () => [key],
    () => key,
    'HOOKBENCH_SECRET_KEY',
  );
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
    if (kind === 'sqlite') {
      const { engine, receiverUrl } = await startEngine(options);
      return { engine, receiverUrl, place: { dataDir: engine.dataDir } };
    }
    cluster ??= startPostgres({ fsync: false });
    const databaseUrl = (await cluster).createDatabase(`site_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const engine = await createTeamEngine({ url: databaseUrl, box: sharedKeyBox(), ...options });
    onTestFinished(() => engine.close());
    const receiverUrl = await engine.startReceiver({ port: 0 });
    await engine.startWorkers();
    return { engine, receiverUrl, place: { databaseUrl } };
  };
}
