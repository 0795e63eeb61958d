import { createAccess } from '../access/access';
import { pgAccessStore } from '../access/pg-statements';
import { EngineBus } from '../bus';
import { createInvoker } from '../control/handlers';
import { pgAccessHandlers } from '../control/pg/access-handlers';
import { pgDeliveryDeleteHandlers } from '../control/pg/delivery-delete-handlers';
import { pgDeliveryHandlers } from '../control/pg/delivery-handlers';
import { pgEndpointHandlers } from '../control/pg/endpoint-handlers';
import { pgFixtureHandlers } from '../control/pg/fixture-handlers';
import { pgInboxHandlers } from '../control/pg/inbox-handlers';
import { pgPackageHandlers } from '../control/pg/package-handlers';
import { pgProviderHandlers } from '../control/pg/provider-handlers';
import { pgReplayHandlers } from '../control/pg/replay-handlers';
import { pgRetentionHandlers } from '../control/pg/retention-handlers';
import { pgSignatureHandlers } from '../control/pg/signature-handlers';
import { pgTunnelHandlers } from '../control/pg/tunnel-handlers';
import { pgTransferHandlers } from '../control/pg/transfer-handlers';
import type { PgHandlerContext } from '../control/pg/pg-handler-context';
import { createTeamHandlers } from '../control/pg/team-handlers';
import { hidePassword, openTeamDatabase } from '../db/pg/open';
import { createPgIngester } from '../ingest/pg-ingest';
import { createMetrics } from '../ops/metrics';
import { pgOpsStore } from '../ops/pg-statements';
import { checkReadiness } from '../ops/readiness';
import type { Ops } from '../ops/routes';
import { createDispatcher } from '../outbound/dispatcher';
import { pgDispatchQueue } from '../outbound/pg-dispatch-queue';
import { createPgQueueWatch } from '../outbound/pg-queue-watch';
import { OPEN_POLICY, type AccessPolicy } from '../receiver/access';
import { createDeliveryWriter, type DeliveryWriterOptions } from '../receiver/delivery-writer';
import type { ReceiverLimits } from '../receiver/limits';
import { createPgDeliveryStore } from '../receiver/pg-delivery-store';
import { createReceiver, type ReceiverListenOptions } from '../receiver/server';
import { pgHookLookup } from '../store/pg-hook-lookup';
import { pgInboxLookup } from '../inbox/pg-inbox-lookup';
import { passBackAnswer } from '../inbox/forward/pass-back';
import { pgForwardQueue } from '../inbox/forward/pg-forward-queue';
import { createForwardWorker } from '../inbox/forward/worker';
import { createPgPruner, type PgPrunerOptions } from '../retention/pg-pruner';
import type { SecretBox } from '../secrets/secret-box';
import { createProviders, type ProviderOptions } from '../providers';
import { pgProviderStore } from '../providers/pg-provider-store';
import { DEFAULT_RECEIVER_URL } from '../store/settings';
import { pgTunnelStore } from '../tunnel/pg-tunnel-statements';
import { createTunnelRunner, type TunnelOptions } from '../tunnel/runner';
import { receiverBaseOf } from '../tunnel/saved-status';
import type { RoleHandle } from './role-lock';
import { VERSION } from '../version';
import { pgCoordination } from './pg-coordination';
import { pgSecretsHandlers } from '../control/pg/secrets-handlers';
import { checkSharedKey } from '../secrets/pg-reset';
import { createPgIngestLoop } from './pg-ingest-loop';

export interface TeamEngineOptions {
  /** The team's PostgreSQL database (postgres://…). */
  url: string;
  /** Sealed with the key every instance shares (HOOKBENCH_SECRET_KEY or a key file). */
  box: SecretBox;
  /** The address providers call (the load balancer's); hook URLs are built on it. Default: this instance's receiver. */
  publicUrl?: string;
  /** Who may deliver, and which proxies' X-Forwarded-For to believe. */
  receiverAccess?: AccessPolicy;
  receiverLimits?: Partial<ReceiverLimits>;
  bodyLimit?: number;
  groupCommit?: DeliveryWriterOptions;
  /** Connections this instance keeps at most. */
  poolSize?: number;
  /** How often the instance holding the pruner role applies the retention policy (default as the desktop's). */
  pruning?: Pick<PgPrunerOptions, 'everyMs' | 'firstRunMs'>;
  /** Scales outbound retry delays (tests compress the schedule; 1 in use). */
  retryDelayScale?: number;
  /** How provider APIs are called, and how often the instance holding the monitor role checks hooks upstream. */
  providers?: ProviderOptions;
  /** Inbox forwarding: how long a sender waits for a pass-back target's answer (ms). */
  passBackWaitMs?: number;
  /** smee tunnel tuning (run by the instance holding the tunnel role): stall threshold, backoff, how often settings are re-read. */
  tunnel?: TunnelOptions;
  now?: () => number;
}

const warn = (message: string) => process.emitWarning(message);

/**
 * One instance of a team server: the same receiver, group commit, ingest steps, dispatcher,
 * role checks and control API as the desktop engine, each in its PostgreSQL form, beside any
 * number of other instances on the same database; live events reach every instance's windows
 * through the database. The retention policy is applied, the smee tunnel run and managed hooks
 * checked upstream by one instance at a time: the one holding the pruner, tunnel and monitor role.
 * Inbox captures are forwarded by whichever instance claims them first. Backup and restore are
 * PostgreSQL's own (pg_dump / pg_restore). An instance whose key does not open the team's
 * secrets does not start (SecretKeyError, with the ways out).
 */
export async function createTeamEngine(options: TeamEngineOptions) {
  const now = options.now ?? Date.now;
  const db = await openTeamDatabase(options.url, options.poolSize !== undefined ? { poolSize: options.poolSize } : {});
  const pool = db.$client;
  const { box } = options;
  const keyProblem = await checkSharedKey(pool, box, hidePassword(options.url)).catch((error: unknown) => error as Error);
  if (keyProblem) {
    await pool.end();
    throw keyProblem;
  }
  const bus = new EngineBus();
  const coordination = pgCoordination(options.url);
  const bridge = coordination.bridgeBus(bus);
  const publish = (event: Parameters<EngineBus['publish']>[0]) => bus.publish(event);
  const dispatcher = createDispatcher({ queue: pgDispatchQueue(pool, box, { now, ...(options.retryDelayScale !== undefined ? { delayScale: options.retryDelayScale } : {}) }), box, publish, now });
  const forwarder = createForwardWorker({ queue: pgForwardQueue(pool, now), box, publish, now });
  const ingest = createPgIngestLoop(
    createPgIngester(pool),
    (event) => {
      publish(event);
      if (event.type === 'release') dispatcher.kick();
    },
    warn,
  );
  const writer = createDeliveryWriter(
    createPgDeliveryStore(pool, { box, forwarding: true }),
    (event) => {
      publish(event);
      if (event.type === 'delivery' && event.delivery.outcome === 'pending') void ingest.kick();
    },
    { ...options.groupCommit, forwards: forwarder },
    () => dispatcher.kick(),
  );
  const queueWatch = createPgQueueWatch(pool, bus, now);
  const hooks = pgHookLookup(pool, { bus });
  const inboxes = pgInboxLookup(pool, { bus });
  const receiver = createReceiver({
    lookupHook: hooks,
    lookupInbox: inboxes,
    passBack: passBackAnswer(forwarder, options.passBackWaitMs),
    box,
    writer,
    access: () => options.receiverAccess ?? OPEN_POLICY,
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.receiverLimits ? { limits: options.receiverLimits } : {}),
    now,
  });
  let receiverUrl: string | null = options.publicUrl ?? null;
  // The tunnel's events go through this instance's receiver and group commit, deduped by delivery id as any other.
  const tunnel = createTunnelRunner(
    {
      store: pgTunnelStore(pool, { receiverUrl: () => receiverUrl ?? DEFAULT_RECEIVER_URL }),
      box,
      publish,
      receiver,
      writer,
      lookupHook: hooks,
      lookupInbox: inboxes,
      receiverBase: receiverBaseOf,
      now,
    },
    options.tunnel,
  );
  // A tunnel command on any instance announces itself with a 'packages' event: the holder follows it at once.
  const followTunnelCommands = bus.subscribe((event) => {
    if (event.type === 'packages' && tunnel.running()) void tunnel.reconcile();
  });
  let tunnelRole: RoleHandle | null = null;
  const access = createAccess(pgAccessStore(pool, { now }), now);
  const opsStore = pgOpsStore(pool);
  const ops: Ops = {
    readiness: () => checkReadiness(opsStore),
    metrics: createMetrics({ store: opsStore, subscribe: (listener) => bus.subscribeLocal(listener), tunnelState: () => tunnel.state(), pool, now }),
  };
  const pruner = createPgPruner({ pool, publish, roles: coordination.roles, ...options.pruning });
  const providerStore = pgProviderStore(pool, box, { receiverBase: () => receiverUrl ?? DEFAULT_RECEIVER_URL });
  const providers = createProviders({ store: providerStore, box, publish, writer, ingestIdle: () => ingest.idle(), now }, options.providers);
  // The periodic upstream check runs in one instance at a time: the one holding the monitor role.
  let monitorRole: RoleHandle | null = null;
  const ctx: PgHandlerContext = {
    pool,
    box,
    bus,
    version: VERSION,
    receiverUrl: () => receiverUrl,
    kickDispatcher: () => dispatcher.kick(),
    now,
    access,
    pruneSoon: () => pruner.soon(),
    inboxChanged: async (id) => void (await inboxes.fresh(id)),
    secretsChanged: async () => void (await Promise.all([hooks.refresh(), inboxes.refresh()])),
    providers,
    receiver,
    tunnel,
  };
  const invoke = createInvoker(
    createTeamHandlers(ctx, [
      pgPackageHandlers,
      pgDeliveryHandlers,
      pgEndpointHandlers,
      pgAccessHandlers,
      pgInboxHandlers,
      pgRetentionHandlers,
      pgFixtureHandlers,
      pgProviderHandlers,
      pgReplayHandlers,
      pgSignatureHandlers,
      pgDeliveryDeleteHandlers,
      pgTunnelHandlers,
      pgTransferHandlers,
      pgSecretsHandlers,
    ]),
    access,
  );

  return {
    bus,
    invoke,
    access,
    ops,
    receiver,
    /** Ingest of what this instance and the others stored: `idle()` resolves once this instance has nothing left to claim. */
    ingest: { idle: (): Promise<void> => ingest.idle() },
    /** Outbound sending: `settle()` resolves once what this instance has in flight is done. */
    dispatcher: { settle: (): Promise<void> => dispatcher.settle() },
    /** The background pruning, run here only while this instance holds the pruner role. */
    pruner,
    /** Whether this instance runs the periodic upstream check of managed hooks now (holds the monitor role). */
    monitoring: (): boolean => monitorRole?.holding() ?? false,
    /** The smee tunnel, run here only while this instance holds the tunnel role. */
    tunnel,
    /** Resolves once events from the other instances arrive on the bus. */
    peersListening: (): Promise<void> => bridge?.ready ?? Promise.resolve(),
    async startReceiver(listen: ReceiverListenOptions = {}): Promise<string> {
      await Promise.all([hooks.refresh(), inboxes.refresh()]);
      const { url } = await receiver.listen(listen);
      receiverUrl ??= url;
      return url;
    },
    /** Resumes what is due: pending deliveries are ingested and outbound retries sent, by whichever instance claims them; the retention policy applied by the one holding the pruner role, and managed hooks checked upstream by the one holding the monitor role. */
    async startWorkers(): Promise<void> {
      await dispatcher.start({ recover: 'expired' });
      queueWatch.start();
      await ingest.start();
      // Forwards other instances queued, or left claimed when they died, are sent by whoever claims them.
      forwarder.start();
      pruner.start();
      monitorRole ??= coordination.roles.hold('provider-monitor', { onAcquired: () => providers.start(), onLost: () => providers.pause() });
      tunnelRole ??= coordination.roles.hold('tunnel', { onAcquired: () => void tunnel.start().catch(() => undefined), onLost: () => tunnel.stop() });
    },
    async close(): Promise<void> {
      // First, while the writer still stores what catch-up reconciles and the tunnel read: provider calls
      // under way are cut short, the tunnel stopped, and both roles released so other instances take them over at once.
      followTunnelCommands();
      await Promise.all([providers.stop(), monitorRole?.release(), tunnelRole?.release().then(() => tunnel.stop())]);
      await receiver.close();
      await writer.close();
      await ingest.stop();
      await dispatcher.stop();
      await queueWatch.stop();
      await forwarder.stop();
      // Stopped before the pool goes, so another instance takes the role over at once.
      await pruner.stop();
      hooks.close();
      inboxes.close();
      ops.metrics.stop();
      await bridge?.close();
      // Audit rows still queued are written before the pool goes.
      await access.close();
      await pool.end();
    },
  };
}

export type TeamEngine = Awaited<ReturnType<typeof createTeamEngine>>;
