// The control API over either store, for tests that run the same body against both:
//   describe.each(HANDLER_STORES)('%s', (kind) => { it('…', async () => { const api = await openHandlerStore(kind, cluster, groups); … }) })
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { EngineBus } from '../../src/main/engine/bus';
import { createTeamHandlers, type PgHandlerGroup } from '../../src/main/engine/control/pg/team-handlers';
import type { PgHandlerContext } from '../../src/main/engine/control/pg/pg-handler-context';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { createDispatcher } from '../../src/main/engine/outbound/dispatcher';
import { pgDispatchQueue } from '../../src/main/engine/outbound/pg-dispatch-queue';
import { createDeliveryWriter } from '../../src/main/engine/receiver/delivery-writer';
import { createPgDeliveryStore } from '../../src/main/engine/receiver/pg-delivery-store';
import { createReceiver } from '../../src/main/engine/receiver/server';
import { pgInboxLookup } from '../../src/main/engine/inbox/pg-inbox-lookup';
import { pgHookLookup } from '../../src/main/engine/store/pg-hook-lookup';
import type { ReplayReceiver } from '../../src/main/engine/replay/send-replay';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import type { Db } from '../../src/main/engine/db/open';
import { VERSION } from '../../src/main/engine/version';
import { createProviders, type ProviderOptions } from '../../src/main/engine/providers';
import { pgProviderStore } from '../../src/main/engine/providers/pg-provider-store';
import { createPgIngester } from '../../src/main/engine/ingest/pg-ingest';
import { createPgIngestLoop } from '../../src/main/engine/team/pg-ingest-loop';
import { parseParams, type MethodName, type ParamsOf, type PushEvent, type ResultOf } from '../../src/shared/contract';
import { LOCAL_CALLER, type Caller } from '../../src/shared/access-types';
import { tempDataDir } from './data-dir';
import type { PostgresCluster } from './postgres-cluster';

export const HANDLER_STORES = ['sqlite', 'postgres'] as const;
export type HandlerStoreKind = (typeof HANDLER_STORES)[number];

export interface HandlerStore {
  kind: HandlerStoreKind;
  /** A control API call as the local user (or the caller given): params checked by the contract, as every transport does. */
  invoke<M extends MethodName>(method: M, params: ParamsOf<M>, caller?: Caller): Promise<ResultOf<M>>;
  /** Plain SQL on the store ($1-style parameters; each becomes a ? for SQLite), for seeding and checking. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Every event the handlers published, in order. */
  events: PushEvent[];
  /** The receiver base URL hook URLs are built on. */
  receiverUrl: string;
  /** Sends one queued message now, through this store's dispatcher (as `hookbench trigger` does); false when it was not pending. */
  sendNow(messageRowId: number): Promise<boolean>;
  /** What the handlers seal secrets with. */
  box: SecretBox;
  /** What the store runs on, for the few checks beyond the control API (the receiver's lookups). */
  backing: { sqlite: Db } | { pool: pg.Pool; bus: EngineBus };
}

const RECEIVER_URL = 'http://127.0.0.1:4567';

/**
 * A fresh store of the given kind, closed when the test ends. SQLite: a real engine on a new
 * data dir (its receiver URL set as a started one would). PostgreSQL: a new database on the
 * cluster, with the PostgreSQL forms of the given groups (methods outside them answer "unavailable").
 */
export async function openHandlerStore(kind: HandlerStoreKind, cluster: PostgresCluster, groups: PgHandlerGroup[], options: HandlerStoreOptions = {}): Promise<HandlerStore> {
  return kind === 'sqlite' ? sqliteHandlerStore(options) : pgHandlerStore(cluster, groups, options);
}

export interface HandlerStoreOptions {
  /** How provider APIs are called and waited on (both stores get the same). */
  providers?: ProviderOptions;
}

async function sqliteHandlerStore(options: HandlerStoreOptions): Promise<HandlerStore> {
  const engine = createEngine({ dataDir: tempDataDir(), ...(options.providers ? { providers: options.providers } : {}) });
  onTestFinished(() => engine.close());
  const events: PushEvent[] = [];
  engine.bus.subscribe((event) => events.push(event));
  engine.db.$client.prepare("INSERT INTO settings (key, value) VALUES ('receiver.url', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(RECEIVER_URL);
  return {
    kind: 'sqlite',
    invoke: async (method, params, caller) => (await engine.invoke(method, params, caller)) as never,
    async query<T>(text: string, params: unknown[] = []) {
      const order = [...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
      const statement = engine.db.$client.prepare(text.replace(/\$\d+/g, '?'));
      const values = order.map((i) => (typeof params[i] === 'boolean' ? Number(params[i]) : params[i]));
      return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[];
    },
    events,
    receiverUrl: RECEIVER_URL,
    sendNow: (messageRowId) => engine.dispatcher.sendNow(messageRowId),
    box: engine.box,
    backing: { sqlite: engine.db },
  };
}

const SHARED_KEY = randomBytes(32);

async function pgHandlerStore(cluster: PostgresCluster, groups: PgHandlerGroup[], options: HandlerStoreOptions): Promise<HandlerStore> {
  const db = await openPostgres(cluster.createDatabase(`h_${randomUUID().replaceAll('-', '').slice(0, 12)}`));
  const pool: pg.Pool = db.$client;
  const bus = new EngineBus();
  const receiver = lazyPgReceiver(pool, bus, () => ctx.box);
  onTestFinished(async () => {
    await receiver.close();
    await pool.end();
  });
  const events: PushEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const ctx: PgHandlerContext = {
    pool,
    box: keyRingBox(
      'shared-key',
      () => [SHARED_KEY],
      () => SHARED_KEY,
      'HOOKBENCH_SECRET_KEY',
    ),
    bus,
    version: VERSION,
    receiverUrl: () => RECEIVER_URL,
    kickDispatcher: () => undefined,
    now: Date.now,
    receiver,
  };
  ctx.providers = pgProviders(ctx, options.providers);
  onTestFinished(() => ctx.providers!.stop());
  const handlers = createTeamHandlers(ctx, groups);
  const dispatcher = createDispatcher({ queue: pgDispatchQueue(pool, ctx.box, { now: Date.now }), box: ctx.box, publish: (event) => bus.publish(event) });
  return {
    kind: 'postgres',
    async invoke(method, params, caller = LOCAL_CALLER) {
      const handler = handlers[method] as (p: unknown, caller: Caller) => unknown;
      return (await handler(parseParams(method, params), caller)) as never;
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    events,
    receiverUrl: RECEIVER_URL,
    sendNow: (messageRowId) => dispatcher.sendNow(messageRowId),
    box: ctx.box,
    backing: { pool, bus },
  };
}

/** Provider connections on the store's database, with the team engine's writer and ingest for what catch-up reconciles. */
function pgProviders(ctx: PgHandlerContext, options: ProviderOptions = {}) {
  const publish = (event: PushEvent) => ctx.bus.publish(event);
  const ingest = createPgIngestLoop(createPgIngester(ctx.pool), publish, (message) => process.emitWarning(message));
  const writer = createDeliveryWriter(createPgDeliveryStore(ctx.pool, { box: ctx.box }), (event) => {
    publish(event);
    if (event.type === 'delivery' && event.delivery.outcome === 'pending') void ingest.kick();
  });
  // Stopped before the pool ends (test teardown runs in reverse): writes under way finish first.
  onTestFinished(async () => {
    await writer.close();
    await ingest.stop();
  });
  const store = pgProviderStore(ctx.pool, ctx.box, { receiverBase: () => ctx.receiverUrl() ?? RECEIVER_URL });
  return createProviders({ store, box: ctx.box, publish, writer, ingestIdle: () => ingest.idle() }, options);
}

/**
 * The store's own receiver (as a team server's instance has), for replays into a package or an
 * inbox: built on first use, so stores that never replay keep no lookups polling the database.
 */
function lazyPgReceiver(pool: pg.Pool, bus: EngineBus, box: () => SecretBox): ReplayReceiver & { close(): Promise<void> } {
  let built: { receiver: ReplayReceiver; close(): Promise<void> } | null = null;
  const get = () => {
    if (built) return built.receiver;
    const lookupHook = pgHookLookup(pool, { bus });
    const lookupInbox = pgInboxLookup(pool, { bus });
    const writer = createDeliveryWriter(createPgDeliveryStore(pool, { box: box() }), (event) => bus.publish(event));
    const receiver = createReceiver({ lookupHook, lookupInbox, box: box(), writer });
    built = {
      receiver,
      async close() {
        lookupHook.close();
        lookupInbox.close();
        await writer.close();
      },
    };
    return receiver;
  };
  return {
    receive: (...args) => get().receive(...args),
    receiveInbox: (...args) => get().receiveInbox(...args),
    close: async () => built?.close(),
  };
}
