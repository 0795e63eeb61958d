/**
 * The tunnel: a smee channel whose events enter the receiver path in-process.
 * - One channel per data dir; hook URLs through it carry the receiver path in the query.
 * - The channel lives in settings, so a channel created by the CLI is picked up by a
 *   running engine within `watchMs`; status is saved there too, for `tunnel status`.
 * - Connect, drop, stall and reconnect show in the status, on the bus and in the feed.
 */
import { ApiError, type PushEvent } from '../../../shared/contract';
import type { ActivityKind, TunnelCreated, TunnelRemoved, TunnelState, TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import type { DeliveryWriter } from '../receiver/delivery-writer';
import type { Receiver } from '../receiver/server';
import type { SecretBox } from '../secrets/secret-box';
import { recordActivity } from '../store/activity';
import type { ReceiverHook } from '../store/packages';
import { getSetting, receiverBaseUrl, setSetting } from '../store/settings';
import { createChannel, DEFAULT_SMEE_SERVER, normalizeServer, type FetchLike } from './channel';
import { adoptChannel, forgetChannel } from './channel-settings';
import { createSmeeConnection, type ConnectionTuning, type SmeeConnection, type StateChange } from './connection';
import { createTunnelDelivery, type TunnelDeliveryDeps } from './deliver';
import { parseSmeeEvent } from './event';
import { catchUpGaps, type CatchUpRunner } from './catch-up';
import { createGapLog, lastReadBefore } from './gap-log';
import { relayMark } from './relay-mark';
import { gapStart } from './gaps';
import { createIntake } from './intake';
import { createConnectionHistory } from './connection-history';
import { createStatusPublisher } from './status-publisher';
import { TUNNEL_NOTES } from './limits';
import { idleLive, readSavedStatus, readTunnelConfig, TUNNEL_KEYS, type TunnelLive } from './saved-status';

export interface TunnelOptions extends ConnectionTuning {
  /** How often a running engine re-reads the tunnel settings (default 2 s). */
  watchMs?: number;
  /** Used to create channels (tests, proxies). */
  fetch?: FetchLike;
}

export interface TunnelDeps {
  db: Db;
  box: SecretBox;
  publish: (event: PushEvent) => void;
  receiver: Pick<Receiver, 'receive'>;
  writer: Pick<DeliveryWriter, 'write'>;
  lookupHook: (hookId: string) => ReceiverHook | undefined;
  lookupInbox?: TunnelDeliveryDeps['lookupInbox'];
  now?: () => number;
}

export function createTunnel(deps: TunnelDeps, options: TunnelOptions = {}) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const watchMs = options.watchMs ?? 2_000;
  const deliver = createTunnelDelivery({ lookupHook: deps.lookupHook, lookupInbox: deps.lookupInbox, box: deps.box, receiver: deps.receiver, writer: deps.writer, now });

  let started = false;
  let watchTimer: NodeJS.Timeout | null = null;
  let connection: SmeeConnection | null = null;
  /** Whether the current connection has been up once (the next "connected" is a reconnect). */
  let wasConnected = false;
  let reconciling: Promise<void> = Promise.resolve();
  /** Where reading a channel last stopped (this process turned it off, or the one before it stopped): the next connection closes that gap. */
  let readStoppedAt: { channelUrl: string; at: number } | null = null;
  const intake = createIntake((data) => handle(data));
  const live: TunnelLive = idleLive();
  const history = createConnectionHistory(live, now);
  const gapLog = createGapLog({
    db,
    allHooksViaTunnel: () => readTunnelConfig(db).hookUrlsViaTunnel,
    record: (message) => activity('tunnel_gap', message),
    announce: (gap) => deps.publish({ type: 'tunnel_gap', gap }),
  });

  const statusOut = createStatusPublisher({ db, live, gaps: () => gapLog.list(), publish: deps.publish, now });
  const { snapshot, publish } = statusOut;

  function activity(kind: ActivityKind, message: string): void {
    const entry = recordActivity(db, { kind, message, at: now() });
    deps.publish({ type: 'activity', entry });
  }

  /** A stream is up again: the window since reading stopped (a drop, a stall, or before this process) is a gap. */
  function closeGap(channelUrl: string, gapFrom: number | null, previous: TunnelState, at: number): void {
    const stoppedAt = readStoppedAt?.channelUrl === channelUrl ? readStoppedAt.at : null;
    readStoppedAt = null;
    if (gapFrom !== null) gapLog.add(gapStart(gapFrom, live.lastEventAt, live.lastRelayedAt), at, previous === 'stalled' ? 'stalled' : 'dropped');
    else if (!wasConnected && stoppedAt !== null) gapLog.add(stoppedAt, at, 'not running');
  }

  function onState(channelUrl: string, change: StateChange): void {
    const previous = live.state;
    live.state = change.state;
    live.nextRetryAt = change.nextRetryAt;
    if (change.error) {
      live.lastError = change.error;
      live.lastErrorAt = now();
    }
    if (change.state === 'connected') {
      const at = now();
      history.up(at);
      if (wasConnected) live.reconnects++;
      closeGap(channelUrl, change.gapFrom, previous, at);
      activity(
        'tunnel_connected',
        wasConnected ? `Tunnel reconnected to ${channelUrl}.` : `Tunnel connected to ${channelUrl}; its events go to the receiver.`,
      );
      wasConnected = true;
    } else if (change.state === 'stalled' && previous === 'connected') {
      history.down();
      activity('tunnel_stalled', `Tunnel to ${channelUrl} stalled: ${change.error ?? 'no ping'}`);
    } else if (change.state === 'reconnecting' && previous === 'connected') {
      history.down();
      activity('tunnel_disconnected', `Tunnel connection to ${channelUrl} dropped (${change.error ?? 'closed'}); reconnecting at once.`);
    } else if (change.state === 'reconnecting' && previous === 'connecting') {
      activity('tunnel_disconnected', `Tunnel could not connect to ${channelUrl} (${change.error ?? 'failed'}); retrying with backoff.`);
    }
    publish('always');
  }

  const relayed = relayMark((at) => (live.lastRelayedAt = at));
  async function handle(data: string): Promise<void> {
    try {
      const event = parseSmeeEvent(data);
      const outcome = await relayed.storing(event.timestamp, () => deliver(event, channelHost));
      if (outcome.kind === 'dropped') {
        live.dropped++;
        live.lastError = outcome.reason;
        live.lastErrorAt = now();
      }
    } catch (error) {
      live.dropped++;
      live.lastError = `An event from the tunnel could not be stored: ${(error as Error).message}`;
      live.lastErrorAt = now();
    }
    if (started) statusOut.soon();
  }

  /** The channel's host, recorded as each tunnel delivery's remote address. */
  let channelHost = '';

  function connect(channelUrl: string): SmeeConnection {
    channelHost = new URL(channelUrl).host;
    wasConnected = false;
    history.begin(channelUrl);
    if (!readStoppedAt) {
      const at = lastReadBefore(db, channelUrl);
      if (at !== null) readStoppedAt = { channelUrl, at };
    }
    const conn: SmeeConnection = createSmeeConnection(
      channelUrl,
      {
        onState: (change) => {
          if (connection === conn) onState(channelUrl, change);
        },
        onMessage: (data) => {
          if (connection !== conn) return;
          live.lastEventAt = now();
          if (intake.take(data)) live.events++;
        },
        stored: () => intake.stored(),
        onPing: (at) => {
          if (connection !== conn) return;
          live.lastPingAt = at;
          publish('throttled');
        },
      },
      options,
      now,
    );
    connection = conn;
    conn.start();
    return conn;
  }

  /** Brings the connection in line with the settings: the configured channel, when enabled. */
  function reconcile(): Promise<void> {
    const run = reconciling.then(async () => {
      if (!started) return;
      const config = readTunnelConfig(db);
      const wanted = config.enabled ? config.channelUrl : null;
      if ((connection?.channelUrl ?? null) === wanted) return;
      const old = connection;
      connection = null;
      if (old) {
        const wasUp = old.state === 'connected';
        await old.stop();
        if (wasUp) readStoppedAt = { channelUrl: old.channelUrl, at: now() };
        if (wanted === null) activity('tunnel_disconnected', `Tunnel to ${old.channelUrl} disconnected: it was turned off. smee drops what arrives meanwhile.`);
      }
      live.state = 'disconnected';
      history.down();
      live.nextRetryAt = null;
      if (wanted) connect(wanted);
      else publish('always');
      // Packages whose hook URLs go through the tunnel read as failing while it is off.
      deps.publish({ type: 'packages' });
    });
    // A failed pass is reported and the next one starts afresh.
    reconciling = run.catch((error: unknown) => {
      live.lastError = `The tunnel settings could not be applied: ${(error as Error).message}`;
      live.lastErrorAt = now();
    });
    return reconciling;
  }

  /** Live in the process holding the connection; elsewhere, what that process saved. */
  const status = (): TunnelStatus => (started ? snapshot() : readSavedStatus(db, now()));

  return {
    status,
    /** Connects when a channel is configured, and keeps watching the settings. */
    start(): Promise<void> {
      if (!started) {
        started = true;
        // A restart remembers when the channel was last connected (the previous run saved it).
        history.restore(readSavedStatus(db, now()));
        watchTimer = setInterval(() => void reconcile(), watchMs);
        watchTimer.unref();
      }
      return reconcile();
    },
    async stop(): Promise<void> {
      if (!started) return;
      started = false;
      if (watchTimer) clearInterval(watchTimer);
      watchTimer = null;
      await reconciling;
      const old = connection;
      connection = null;
      if (old) {
        const wasUp = old.state === 'connected';
        await old.stop();
        if (wasUp) {
          live.readUntil = now();
          activity('tunnel_disconnected', `Tunnel to ${old.channelUrl} disconnected: Hookbench stopped.`);
        }
      }
      await intake.stored();
      statusOut.cancel();
      if (!old) return;
      live.state = 'disconnected';
      history.down();
      live.nextRetryAt = null;
      publish('always');
    },
    /** Creates a channel on the smee server and makes it this data dir's tunnel. */
    async create(input: { server?: string | undefined } = {}): Promise<TunnelCreated> {
      let server: string;
      try {
        server = normalizeServer(input.server ?? getSetting(db, TUNNEL_KEYS.server) ?? DEFAULT_SMEE_SERVER);
      } catch (error) {
        throw new ApiError('invalid_params', (error as Error).message);
      }
      const channelUrl = await createChannel(server, options.fetch);
      const adopted = adoptChannel(db, channelUrl, server);
      const notes = [...adopted.notes, ...TUNNEL_NOTES];
      activity('tunnel_created', `Tunnel channel ${channelUrl} created on ${server}.`);
      deps.publish({ type: 'packages' });
      await reconcile();
      return { channelUrl, server, hookUrlBase: adopted.hookUrlBase, hookUrlsViaTunnel: adopted.hookUrlsViaTunnel, notes, status: status(), hooks: [] };
    },
    /** Turns the tunnel on; a running engine (this one, or a serve elsewhere) connects. */
    async connect(): Promise<TunnelStatus> {
      if (!readTunnelConfig(db).channelUrl) throw new ApiError('conflict', 'No tunnel channel yet: create one first (hookbench tunnel create).');
      setSetting(db, TUNNEL_KEYS.enabled, '1');
      await reconcile();
      return status();
    },
    /** Forgets the channel and disconnects; hook URLs go back to the direct address (the caller updates hooks upstream). */
    async remove(): Promise<TunnelRemoved> {
      const forgotten = forgetChannel(db);
      await reconcile();
      // What was live belonged to the channel just forgotten.
      Object.assign(live, idleLive());
      history.forget();
      if (forgotten.channelUrl) activity('tunnel_removed', `Tunnel channel ${forgotten.channelUrl} removed; hook URLs point at ${receiverBaseUrl(db)} again.`);
      deps.publish({ type: 'packages' });
      const after = status();
      deps.publish({ type: 'tunnel', status: after });
      return { channelUrl: forgotten.channelUrl, hookUrlBase: receiverBaseUrl(db), notes: forgotten.notes, status: after, hooks: [] };
    },
    /** Turns the tunnel off; hook URLs keep pointing at the channel. */
    async disconnect(): Promise<TunnelStatus> {
      setSetting(db, TUNNEL_KEYS.enabled, '0');
      await reconcile();
      return status();
    },
    /** Settles once every event taken so far is stored. */
    drained(): Promise<void> {
      return intake.stored();
    },
    /** Events from the channel are being stored: ingest waits, as it does for the receiver's requests. */
    busy: () => intake.busy(),
    /** Catch-up for the managed packages of gaps not yet caught up; the others are told how to redeliver. */
    catchUp: (run: CatchUpRunner) => catchUpGaps(gapLog, run, now, (message) => activity('tunnel_gap', message)),
  };
}

export type Tunnel = ReturnType<typeof createTunnel>;
