import { createAccess } from '../access/access';
import { pgAccessStore } from '../access/pg-statements';
import { EngineBus } from '../bus';
import { createInvoker } from '../control/handlers';
import { pgAccessHandlers } from '../control/pg/access-handlers';
import { pgDeliveryHandlers } from '../control/pg/delivery-handlers';
import { pgEndpointHandlers } from '../control/pg/endpoint-handlers';
import { pgFixtureHandlers } from '../control/pg/fixture-handlers';
import { pgInboxHandlers } from '../control/pg/inbox-handlers';
import { pgPackageHandlers } from '../control/pg/package-handlers';
import { pgRetentionHandlers } from '../control/pg/retention-handlers';
import { pgTransferHandlers } from '../control/pg/transfer-handlers';
import type { PgHandlerContext } from '../control/pg/pg-handler-context';
import { createTeamHandlers } from '../control/pg/team-handlers';
import { openTeamDatabase } from '../db/pg/open';
import { createPgIngester } from '../ingest/pg-ingest';
import { createMetrics } from '../ops/metrics';
import { pgOpsStore } from '../ops/pg-statements';
import { checkReadiness } from '../ops/readiness';
import type { Ops } from '../ops/routes';
import { createDispatcher } from '../outbound/dispatcher';
import { pgDispatchQueue } from '../outbound/pg-dispatch-queue';
import { OPEN_POLICY, type AccessPolicy } from '../receiver/access';
import { createDeliveryWriter, type DeliveryWriterOptions } from '../receiver/delivery-writer';
import type { ReceiverLimits } from '../receiver/limits';
import { createPgDeliveryStore } from '../receiver/pg-delivery-store';
import { createReceiver, type ReceiverListenOptions } from '../receiver/server';
import { pgHookLookup } from '../store/pg-hook-lookup';
import { pgInboxLookup } from '../inbox/pg-inbox-lookup';
import { createPgPruner, type PgPrunerOptions } from '../retention/pg-pruner';
import type { SecretBox } from '../secrets/secret-box';
import { VERSION } from '../version';
import { pgCoordination } from './pg-coordination';
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
  now?: () => number;
}

const warn = (message: string) => process.emitWarning(message);

/**
 * One instance of a team server: the same receiver, group commit, ingest steps, dispatcher,
 * role checks and control API as the desktop engine, each in its PostgreSQL form, beside any
 * number of other instances on the same database; live events reach every instance's windows
 * through the database. A team server is reachable by providers itself, so it runs no tunnel.
 * The retention policy is applied by one instance at a time: the one holding the pruner role.
 * Not here yet (their methods answer 501): provider connections and their monitor, inbox
 * forwarding, sending replays (and fixtures other than to an endpoint), backup and restore.
 */
export async function createTeamEngine(options: TeamEngineOptions) {
  const now = options.now ?? Date.now;
  const db = await openTeamDatabase(options.url, options.poolSize !== undefined ? { poolSize: options.poolSize } : {});
  const pool = db.$client;
  const { box } = options;
  const bus = new EngineBus();
  const coordination = pgCoordination(options.url);
  const bridge = coordination.bridgeBus(bus);
  const publish = (event: Parameters<EngineBus['publish']>[0]) => bus.publish(event);
  const dispatcher = createDispatcher({ queue: pgDispatchQueue(pool, box, { now }), box, publish, now });
  const ingest = createPgIngestLoop(
    createPgIngester(pool),
    (event) => {
      publish(event);
      if (event.type === 'release') dispatcher.kick();
    },
    warn,
  );
  const writer = createDeliveryWriter(
    createPgDeliveryStore(pool, { box }),
    (event) => {
      publish(event);
      if (event.type === 'delivery' && event.delivery.outcome === 'pending') void ingest.kick();
    },
    options.groupCommit,
    () => dispatcher.kick(),
  );
  const hooks = pgHookLookup(pool, { bus });
  const inboxes = pgInboxLookup(pool, { bus });
  const receiver = createReceiver({
    lookupHook: hooks,
    lookupInbox: inboxes,
    box,
    writer,
    access: () => options.receiverAccess ?? OPEN_POLICY,
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.receiverLimits ? { limits: options.receiverLimits } : {}),
    now,
  });
  let receiverUrl: string | null = options.publicUrl ?? null;
  const access = createAccess(pgAccessStore(pool, { now }), now);
  const opsStore = pgOpsStore(pool);
  const ops: Ops = {
    readiness: () => checkReadiness(opsStore),
    metrics: createMetrics({ store: opsStore, subscribe: (listener) => bus.subscribeLocal(listener), tunnelState: () => 'disconnected', pool, now }),
  };
  const pruner = createPgPruner({ pool, publish, roles: coordination.roles, ...options.pruning });
  const ctx: PgHandlerContext = { pool, box, bus, version: VERSION, receiverUrl: () => receiverUrl, kickDispatcher: () => dispatcher.kick(), now, access, pruneSoon: () => pruner.soon() };
  const invoke = createInvoker(
    createTeamHandlers(ctx, [pgPackageHandlers, pgDeliveryHandlers, pgEndpointHandlers, pgAccessHandlers, pgInboxHandlers, pgRetentionHandlers, pgFixtureHandlers, pgTransferHandlers]),
    access,
  );

  return {
    bus,
    invoke,
    access,
    ops,
    receiver,
    /** The background pruning, run here only while this instance holds the pruner role. */
    pruner,
    /** Resolves once events from the other instances arrive on the bus. */
    peersListening: (): Promise<void> => bridge?.ready ?? Promise.resolve(),
    async startReceiver(listen: ReceiverListenOptions = {}): Promise<string> {
      await Promise.all([hooks.refresh(), inboxes.refresh()]);
      const { url } = await receiver.listen(listen);
      receiverUrl ??= url;
      return url;
    },
    /** Resumes what is due: pending deliveries are ingested and outbound retries sent, by whichever instance claims them; the retention policy applied by the one holding the pruner role. */
    async startWorkers(): Promise<void> {
      await dispatcher.start({ recover: 'expired' });
      await ingest.start();
      pruner.start();
    },
    async close(): Promise<void> {
      await receiver.close();
      await writer.close();
      await ingest.stop();
      await dispatcher.stop();
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
