import { createAccess } from './access/access';
import { sqliteAccessStore } from './access/statements';
import { EngineBus } from './bus';
import { createMetrics } from './ops/metrics';
import { checkReadiness } from './ops/readiness';
import type { Ops } from './ops/routes';
import { sqliteOpsStore } from './ops/statements';
import { createHandlers, createInvoker } from './control/handlers';
import { setBusyTimeout } from './db/busy-timeout';
import { startCheckpointer, type Checkpointer } from './db/checkpointer';
import { openDatabase, SERVING_BUSY_TIMEOUT_MS } from './db/open';
import { createEngineLog } from './engine-log';
import { createIngestWorker } from './ingest/worker';
import { createDispatcher } from './outbound/dispatcher';
import { endpointSummaryOf } from './outbound/endpoints';
import { sqliteDispatchQueue } from './outbound/sqlite-dispatch-queue';
import { createQueueWatch } from './outbound/queue-watch';
import { createSqliteDeliveryStore } from './receiver/sqlite-delivery-store';
import { createDeliveryWriter, type DeliveryWriterOptions } from './receiver/delivery-writer';
import { accessFromSettings } from './receiver/access-settings';
import type { ReceiverLimits } from './receiver/limits';
import { createReceiver, type ReceiverListenOptions } from './receiver/server';
import { inboxLookup } from './inbox/lookup';
import { passBackAnswer } from './inbox/forward/pass-back';
import { createForwarder } from './inbox/forward/worker';
import { sweepAbandonedImports } from './replay/import-runs';
import { createUploadStaging } from './replay/upload-staging';
import { createKeyFileBox } from './secrets/key-file-box';
import { withOpenedCache } from './secrets/caching-box';
import { checkKeyFile, guardedBox } from './secrets/key-check';
import { resetSecrets } from './secrets/reset';
import type { SecretBox } from './secrets/secret-box';
import { sealStoredHeaders } from './secrets/stored-headers';
import { recordActivity } from './store/activity';
import { hookLookup } from './store/packages';
import { setSetting } from './store/settings';
import { createTunnel, type TunnelOptions } from './tunnel';
import { createProviders, type ProviderOptions } from './providers';
import { sqliteProviderStore } from './providers/sqlite-provider-store';
import { localCoordination, type Coordination } from './team/coordination';
import type { RoleHandle } from './team/role-lock';
import { VERSION } from './version';
import { createDiskGuard } from './receiver/disk-guard';
import { diskFeed } from './storage/disk-feed';
import { createPruner } from './retention/pruner';
import { retentionLimited } from './retention/prune';
import { convertToIncremental, vacuumState, type Conversion } from './retention/vacuum';

/** Free space kept on the data dir's volume by default: below it the receiver answers 503. */
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 ** 2;

export interface EngineOptions {
  dataDir: string;
  /** Where secrets are sealed; headless defaults to an AES-256-GCM key file in the data dir. */
  secretBox?: SecretBox;
  bodyLimit?: number;
  /** The receiver's connection, timeout and refusal limits; unset ones take the defaults. */
  receiverLimits?: Partial<ReceiverLimits>;
  groupCommit?: DeliveryWriterOptions;
  now?: () => number;
  /** smee tunnel tuning: stall threshold, backoff, how often settings are re-read. */
  tunnel?: TunnelOptions;
  /** Provider API calls (fetch) and the periodic upstream hook check (interval). */
  providers?: ProviderOptions;
  /**
   * Refuse to open when the key file does not open the data dir's secrets (serve, and CLI
   * commands that sign or verify). Otherwise the engine opens, and every use of a secret
   * fails with the same explanation until the key is restored or the secrets are reset.
   */
  requireSecrets?: boolean;
  /** Multiplies the dispatcher's retry delays, for tests that observe a whole retry schedule; 1 by default. */
  retryDelayScale?: number;
  /** Inbox forwarding: how long a sender waits for a pass-back target's answer (ms). */
  passBackWaitMs?: number;
  /** Below this many free bytes on the data dir's volume deliveries are refused (503); 0 relies on SQLite's own "disk full". */
  minFreeBytes?: number;
  /** Other instances on the same database: who runs the tunnel and the provider monitor, and live events between them. Default: alone. */
  coordination?: Coordination;
}

/** Opens (and migrates) the data dir. Nothing listens or runs until asked. */
export function createEngine(options: EngineOptions) {
  const { dataDir } = options;
  const db = openDatabase(dataDir);
  const keyProblem = checkKeyFile(db, dataDir);
  if (keyProblem && options.requireSecrets) {
    db.$client.close();
    throw keyProblem;
  }
  const sealer = options.secretBox ?? createKeyFileBox(dataDir);
  const guard = guardedBox(sealer, keyProblem);
  const box = withOpenedCache(guard.box);
  const bus = new EngineBus();
  const coordination = options.coordination ?? localCoordination();
  const bridge = coordination.bridgeBus(bus);
  const dispatcher = createDispatcher({
    queue: sqliteDispatchQueue(db, box, { now: options.now ?? Date.now, ...(options.retryDelayScale !== undefined ? { delayScale: options.retryDelayScale } : {}) }),
    box,
    publish: (event) => bus.publish(event),
    summarize: (endpointId) => endpointSummaryOf(db, endpointId),
    ...(options.now ? { now: options.now } : {}),
  });
  const queueWatch = createQueueWatch(db, bus);
  const forwarder = createForwarder({ db, box, publish: (event) => bus.publish(event), ...(options.now ? { now: options.now } : {}) });
  const ingest = createIngestWorker(
    db,
    (event) => {
      bus.publish(event);
      if (event.type === 'release') dispatcher.kick();
    },
    { busy: () => receiver.busy() || tunnel.busy(), unflushedFrom: () => writer.unflushedFrom() },
  );
  const deliveryStore = createSqliteDeliveryStore(db, { box, forwards: forwarder });
  const writer = createDeliveryWriter(
    deliveryStore,
    (event) => {
      bus.publish(event);
      if (event.type === 'delivery') disk.noteStored();
      if (event.type === 'delivery' && event.delivery.outcome === 'pending') void ingest.kick();
    },
    { ...options.groupCommit, forwards: forwarder },
    () => dispatcher.kick(),
  );
  const lookupHook = hookLookup(db);
  const lookupInbox = inboxLookup(db);
  const disk = createDiskGuard({ dataDir, floorBytes: options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES, onChange: diskFeed(db, (event) => bus.publish(event)) });
  const receiver = createReceiver({
    disk,
    lookupHook,
    lookupInbox,
    passBack: passBackAnswer(forwarder, options.passBackWaitMs),
    box,
    writer,
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    access: accessFromSettings(db),
    ...(options.receiverLimits ? { limits: options.receiverLimits } : {}),
    onThrottled: (message) => {
      try {
        bus.publish({ type: 'activity', entry: recordActivity(db, { kind: 'rejected', message }) });
      } catch (error) {
        // A summary that cannot be written now is not worth failing anything for.
        process.emitWarning(`Could not record refused requests: ${(error as Error).message}`);
      }
    },
    ...(options.now ? { now: options.now } : {}),
  });
  const tunnel = createTunnel(
    { db, box, publish: (event) => bus.publish(event), receiver, writer, lookupHook, lookupInbox, ...(options.now ? { now: options.now } : {}) },
    options.tunnel,
  );
  const providers = createProviders(
    { store: sqliteProviderStore(db, box), box, publish: (event) => bus.publish(event), writer, ingestIdle: () => ingest.idle(), ...(options.now ? { now: options.now } : {}) },
    options.providers,
  );
  const pruner = createPruner(db, (event) => bus.publish(event), () => receiver.busy(), deliveryStore.afterCommit);
  let checkpointer: Checkpointer | null = null;
  let monitorRole: RoleHandle | null = null;
  let tunnelRole: RoleHandle | null = null;
  let ingestPoll: NodeJS.Timeout | null = null;
  let sealing: Promise<unknown> | null = null;
  let closing = false;
  const uploads = createUploadStaging();
  const kickDispatcher = () => {
    dispatcher.kick();
    queueWatch.checkSoon();
  };
  const log = createEngineLog(dataDir);
  const access = createAccess(sqliteAccessStore(db), options.now);
  const opsStore = sqliteOpsStore(db);
  const ops: Ops = {
    readiness: () => checkReadiness(opsStore),
    metrics: createMetrics({ store: opsStore, subscribe: (listener) => bus.subscribeLocal(listener), tunnelState: () => tunnel.status().state, ...(options.now ? { now: options.now } : {}) }),
  };
  const invoke = createInvoker(
    createHandlers({
      providers,
      db,
      box,
      bus,
      dataDir,
      version: VERSION,
      kickDispatcher,
      tunnel,
      receiver,
      lookupHook,
      uploads,
      access,
      pruner,
      disk,
      resetSecrets: () => {
        const reset = resetSecrets(db, sealer, dataDir);
        guard.unlock();
        return reset;
      },
    }),
    access,
    log,
  );

  return {
    dataDir,
    db,
    box,
    bus,
    /** Resolves once events from other instances on the database arrive on the bus (at once when alone). */
    peersListening: (): Promise<void> => bridge?.ready ?? Promise.resolve(),
    invoke,
    access,
    ops,
    log,
    receiver,
    lookupHook,
    ingest,
    dispatcher,
    forwarder,
    tunnel,
    providers,
    disk,
    /**
     * Before the receiver listens: an older database is rebuilt once so pruning can give space
     * back, when a retention policy asks for pruning (see retention/vacuum.ts). null: not needed.
     */
    prepareVacuum(): Conversion | null {
      if (vacuumState(db.$client) === 'incremental' || !retentionLimited(db)) return null;
      return convertToIncremental(db.$client, dataDir);
    },
    /** Binds the receiver and remembers its URL, so hook URLs printed elsewhere point at it. */
    async startReceiver(listen: ReceiverListenOptions = {}): Promise<string> {
      const { url } = await receiver.listen(listen);
      setSetting(db, 'receiver.url', url);
      disk.start();
      return url;
    },
    /** Resumes whatever a previous run left pending: ingest, and outbound retries on their schedule. */
    startWorkers(): Promise<void> {
      checkpointer ??= startCheckpointer(db.$client, (message) => process.emitWarning(`WAL checkpoint: ${message}`));
      void dispatcher.start();
      // Inbox captures waiting for their forward targets are sent, and their retries resumed.
      forwarder.start();
      // Endpoint counts follow messages queued without an attempt (a disabled endpoint, another process).
      queueWatch.start();
      // Hooks managed upstream are checked now and then; missing or disabled ones get flagged.
      // One instance at a time runs the check and the tunnel: the one holding their role.
      monitorRole ??= coordination.roles.hold('provider-monitor', { onAcquired: () => providers.start(), onLost: () => providers.pause() });
      // The tunnel connects when a channel is configured, and notices one created later (CLI).
      tunnelRole ??= coordination.roles.hold('tunnel', { onAcquired: () => void tunnel.start().catch(() => undefined), onLost: () => tunnel.stop() });
      // Deliveries another process stored (a replay or a fixture fired from the CLI) are ingested within a second.
      ingestPoll ??= setInterval(() => void ingest.kick(false), 1000);
      ingestPoll.unref();
      // Credentials stored in clear by an older version are sealed in the background.
      sealing ??= sealStoredHeaders(db, box, () => closing).catch((error: unknown) => process.emitWarning(`Sealing stored credentials: ${(error as Error).message}`));
      // From here on this process answers webhooks: it must not sleep long in SQLite's busy handler.
      setBusyTimeout(db.$client, SERVING_BUSY_TIMEOUT_MS);
      // What an import killed midway wrote is taken back.
      // The retention policy is applied in the background, a few milliseconds at a time.
      pruner.start();
      void sweepAbandonedImports(db).catch((error: unknown) => console.error('hookbench: could not take back an interrupted import:', (error as Error).message));
      return ingest.kick();
    },
    /** Resolves once the background sealing of older stored credentials has finished (or stopped). */
    storedHeadersSealed: (): Promise<unknown> => sealing ?? Promise.resolve(),
    async close(): Promise<void> {
      closing = true;
      if (ingestPoll) clearInterval(ingestPoll);
      disk.stop();
      await pruner.stop();
      // Released while provider calls are cut short, so no other instance checks before this one has stopped.
      await Promise.all([providers.stop(), monitorRole?.release()]);
      await tunnelRole?.release();
      await tunnel.stop();
      await receiver.close();
      await writer.close();
      await ingest.stop();
      queueWatch.stop();
      await dispatcher.stop();
      await forwarder.stop();
      await checkpointer?.stop();
      await sealing;
      uploads.clear();
      ops.metrics.stop();
      await bridge?.close();
      db.$client.close();
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
