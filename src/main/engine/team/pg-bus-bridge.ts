/**
 * Live events across the instances on one PostgreSQL database. Every event this instance
 * publishes is sent with NOTIFY on one channel, tagged with the instance's id; a LISTEN session
 * puts the other instances' events on this bus, so a window attached here sees a change made
 * through any instance. Its own events come back on the channel too and are skipped.
 * A LISTEN session that breaks is opened again; what was notified meanwhile is lost, so the
 * windows here are told to load everything again (a `reload` of `all`).
 */
import type pg from 'pg';
import type { PushEvent } from '../../../shared/contract';
import type { EngineBus } from '../bus';
import type { BusBridge } from './coordination';
import { decodeEnvelope, encodeEnvelope } from './event-envelope';
import { endSession, watchSession, type PgConnect } from './pg-session';

export const EVENT_CHANNEL = 'hookbench_events';

/**
 * Characters of events waiting to be sent (a burst outpacing the session, or the session being
 * reopened); past this, they collapse into one reload of everything, which says the same in a line.
 */
const OUTBOX_CHARS = 4 * 1024 ** 2;
/** Events sent in one statement: a burst (a trigger of thousands of messages) costs a round trip per batch, not per event. */
const BATCH = 200;
const SEND_TIMEOUT_MS = 5_000;

export interface PgBusBridgeOptions {
  bus: Pick<EngineBus, 'subscribeLocal' | 'publishFromPeer'>;
  /** This instance's id, unique among the instances on the database. */
  instanceId: string;
  connect: PgConnect;
  channel?: string;
  /** Before a broken session is opened again (default 1 s). */
  retryMs?: number;
  /** How often the LISTEN session is checked to be alive (default 2 s). */
  heartbeatMs?: number;
  warn?: (message: string) => void;
  /** Each time LISTEN is in place (the first time and after every reconnect); for logs and tests. */
  onListening?: (times: number) => void;
}

export function createPgBusBridge(options: PgBusBridgeOptions): BusBridge {
  const { bus, instanceId, connect } = options;
  const channel = options.channel ?? EVENT_CHANNEL;
  const retryMs = options.retryMs ?? 1_000;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  let closed = false;

  // ---- receiving
  let listener: pg.Client | null = null;
  let stopWatching: (() => void) | null = null;
  let listens = 0;
  let relisten: NodeJS.Timeout | null = null;
  /** While the database cannot be reached, that is said once, not on every try. */
  let unreachable = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function receive(message: pg.Notification): void {
    if (message.channel !== channel) return;
    const envelope = decodeEnvelope(message.payload);
    if (!envelope || envelope.from === instanceId) return;
    bus.publishFromPeer(envelope.event);
  }

  async function dropListener(): Promise<void> {
    stopWatching?.();
    stopWatching = null;
    const old = listener;
    listener = null;
    if (old) await endSession(old);
  }

  function listenLater(): void {
    if (closed || relisten) return;
    relisten = setTimeout(() => {
      relisten = null;
      void listen();
    }, retryMs);
    relisten.unref();
  }

  async function listen(): Promise<void> {
    if (closed) return;
    try {
      const client = await connect();
      listener = client;
      client.on('notification', receive);
      stopWatching = watchSession(client, {
        heartbeatMs: options.heartbeatMs ?? 2_000,
        onDown: (reason) => {
          if (listener !== client) return;
          warn(`Live events from other instances paused: ${reason}; listening again.`);
          void dropListener().then(listenLater);
        },
      });
      await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      if (closed) return dropListener();
      listens++;
      unreachable = false;
      // Whatever the others published while this session was down never arrived here.
      if (listens > 1) bus.publishFromPeer({ type: 'reload', of: 'all' });
      options.onListening?.(listens);
      markReady();
    } catch (error) {
      if (!unreachable) warn(`Could not listen for other instances' events: ${(error as Error).message}; trying again every ${retryMs} ms.`);
      unreachable = true;
      await dropListener();
      listenLater();
    }
  }

  // ---- sending
  let outbox: string[] = [];
  let outboxChars = 0;
  let sender: pg.Client | null = null;
  let stopWatchingSender: (() => void) | null = null;
  let draining: Promise<void> | null = null;

  async function dropSender(): Promise<void> {
    stopWatchingSender?.();
    stopWatchingSender = null;
    const old = sender;
    sender = null;
    if (old) await endSession(old);
  }

  async function openSender(): Promise<pg.Client> {
    const client = await connect();
    sender = client;
    stopWatchingSender = watchSession(client, { heartbeatMs: 0, onDown: () => void (sender === client && dropSender()) });
    return client;
  }

  /** The next batch, taken off the outbox while in flight so an overflow of the outbox never drops it unsent. */
  function nextBatch(): string[] {
    const batch = outbox.splice(0, BATCH);
    for (const payload of batch) outboxChars -= payload.length;
    return batch;
  }

  async function drain(): Promise<void> {
    let failures = 0;
    let batch = nextBatch();
    while (batch.length > 0 && !closed) {
      try {
        const client = sender ?? (await openSender());
        // In order: listeners receive one statement's notifications in the order they were made.
        const text = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS sent(payload, n) ORDER BY n';
        await client.query({ text, values: [channel, batch], query_timeout: SEND_TIMEOUT_MS } as pg.QueryConfig);
        batch = nextBatch();
        failures = 0;
      } catch (error) {
        await dropSender();
        if (closed) return;
        if (failures++ === 0) warn(`Could not send live events to other instances: ${(error as Error).message}; retrying.`);
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
      }
    }
  }

  function send(event: PushEvent): void {
    if (closed) return;
    const payload = encodeEnvelope(instanceId, event);
    if (outboxChars + payload.length > OUTBOX_CHARS) {
      const reloadAll = encodeEnvelope(instanceId, { type: 'reload', of: 'all' });
      outbox = [reloadAll];
      outboxChars = reloadAll.length;
    } else {
      outbox.push(payload);
      outboxChars += payload.length;
    }
    draining ??= drain().finally(() => (draining = null));
  }

  const unsubscribe = bus.subscribeLocal(send);
  void listen();

  return {
    ready,
    async close() {
      if (closed) return;
      unsubscribe();
      if (draining) await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      closed = true;
      if (relisten) clearTimeout(relisten);
      await Promise.all([dropListener(), dropSender()]);
    },
  };
}
