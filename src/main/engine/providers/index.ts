/**
 * Provider connections and the hooks Hookbench manages through them: creating,
 * rotating, pinging and watching hooks upstream, and catching up on what they missed.
 * Every provider call goes through one client (timeouts, rate limits, clear errors).
 */
import type { PushEvent } from '../../../shared/contract';
import type { Provider } from '../../../shared/types';
import type { DeliveryWriter } from '../receiver/delivery-writer';
import type { SecretBox } from '../secrets/secret-box';
import { VERSION } from '../version';
import { catchUp } from './catch-up';
import { addConnection, listConnections, removeConnection } from './connections';
import type { ProviderContext } from './context';
import { createApiClient, type FetchLike } from './http';
import { createLocks } from './locks';
import { createMonitor } from './monitor';
import type { ProviderStore } from './provider-store';
import { pingHook } from './ping';
import { providerDeliveries } from './provider-deliveries';
import { createRateGate } from './rate-gate';
import { addFromConnection } from './register';
import { retargetHooks } from './retarget';
import { rotateHook } from './rotate';
import { deleteUpstreamHook } from './unregister';
import { checkUpstream } from './upstream-check';

export interface ProviderOptions {
  /** How provider APIs are called (tests, proxies). */
  fetch?: FetchLike;
  /** Between upstream checks of every managed hook; 0 turns the periodic check off. Default 10 min. */
  checkIntervalMs?: number;
  /** Per provider call. Default 15 s. */
  timeoutMs?: number;
  /** How long catch-up waits for GitHub's redeliveries to arrive. Default 15 s. */
  redeliveryWaitMs?: number;
  pollMs?: number;
}

export interface ProviderDeps {
  /** The data dir's SQLite (sqliteProviderStore) or a team server's PostgreSQL (pgProviderStore). */
  store: ProviderStore;
  box: SecretBox;
  publish: (event: PushEvent) => void;
  writer: Pick<DeliveryWriter, 'write'>;
  ingestIdle: () => Promise<void>;
  now?: () => number;
}

export const DEFAULT_CHECK_INTERVAL_MS = 10 * 60_000;

export function createProviders(deps: ProviderDeps, options: ProviderOptions = {}) {
  const now = deps.now ?? Date.now;
  const closing = new AbortController();
  const client = createApiClient({
    signal: closing.signal,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    gate: createRateGate(now),
    userAgent: `Hookbench/${VERSION}`,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  const ctx: ProviderContext = {
    ...deps,
    client,
    now,
    redeliveryWaitMs: options.redeliveryWaitMs ?? 15_000,
    pollMs: options.pollMs ?? 100,
    signal: closing.signal,
  };
  const inProcess = createLocks();
  // One operation per package at a time here, and on a shared database in every instance.
  const { store } = deps;
  const withLock = <T>(key: string, run: () => Promise<T>): Promise<T> =>
    inProcess(key, () => (store.exclusive ? store.exclusive(key, run, closing.signal) : run()));
  // Closing the engine waits for provider calls under way: their results still have to be written.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  const monitor = createMonitor((stopping) => withLock('upstream-check', () => checkUpstream(ctx, undefined, stopping)), options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);

  return {
    addConnection: (input: { provider: Provider; token: string; baseUrl?: string | undefined }) => track(addConnection(ctx, input)),
    listConnections: () => listConnections(deps.store),
    removeConnection: (id: string) => removeConnection(deps.store, id),
    addFromConnection: (input: Parameters<typeof addFromConnection>[1]) => track(addFromConnection(ctx, input)),
    rotate: (input: Parameters<typeof rotateHook>[1]) => track(withLock(input.id, () => rotateHook(ctx, input))),
    ping: (input: Parameters<typeof pingHook>[1]) => track(pingHook(ctx, input)),
    deliveries: (input: Parameters<typeof providerDeliveries>[1]) => track(providerDeliveries(ctx, input)),
    catchUp: (input: Parameters<typeof catchUp>[1]) => track(withLock(input.id, () => catchUp(ctx, input))),
    /** Before a package is removed: its hook off the provider, when Hookbench manages it. */
    deleteUpstreamHook: (packageId: string) => track(withLock(packageId, () => deleteUpstreamHook(ctx, packageId))),
    /** After the receiver's public address changed: hooks pointed at the new one upstream, or listed to repaste. */
    retargetHooks: (from: string, to: string) => track(withLock('upstream-check', () => retargetHooks(ctx, from, to))),
    checkUpstream: (packageId?: string) => track(withLock('upstream-check', () => checkUpstream(ctx, packageId))),
    /** Starts the periodic upstream check (first run at once). */
    start: () => monitor.start(),
    /** Stops the periodic check only (another instance runs it now); the next start resumes it. */
    pause: () => monitor.stop(),
    async stop(): Promise<void> {
      closing.abort();
      await monitor.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type Providers = ReturnType<typeof createProviders>;
