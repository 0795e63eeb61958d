/**
 * The running tunnel: a smee channel whose events enter the receiver path in-process, on
 * whichever store keeps its settings (tunnel-store.ts).
 * - The channel lives in settings, so a channel created elsewhere (the CLI, another instance of
 *   a team server) is picked up by the running tunnel within `watchMs`; status is saved there
 *   too, for `tunnel status` anywhere.
 * - Connect, drop, stall and reconnect show in the status, on the bus and in the feed.
 */
import type { PushEvent } from '../../../shared/contract';
import type { ActivityKind, TunnelState, TunnelStatus } from '../../../shared/types';
import type { DeliveryWriter } from '../receiver/delivery-writer';
import type { Receiver } from '../receiver/server';
import type { SecretBox } from '../secrets/secret-box';
import type { MaybePromise } from '../maybe-promise';
import type { FetchLike } from './channel';
import { tunnelCommands } from './commands';
import { createSmeeConnection, type ConnectionTuning, type SmeeConnection, type StateChange } from './connection';
import { createTunnelDelivery, type TunnelDeliveryDeps } from './deliver';
import { parseSmeeEvent } from './event';
import { createGapLog, lastReadBefore } from './gap-log';
import { relayMark } from './relay-mark';
import { gapStart } from './gaps';
import { createIntake } from './intake';
import { createConnectionHistory } from './connection-history';
import { createStatusPublisher } from './status-publisher';
import { idleLive, readSavedStatus, tunnelConfigOf, type TunnelLive } from './saved-status';
import { after, type SettingsView, type TunnelStore } from './tunnel-store';

export interface TunnelOptions extends ConnectionTuning {
  /** How often a running engine re-reads the tunnel settings (default 2 s). */
  watchMs?: number;
  /** Used to create channels (tests, proxies). */
  fetch?: FetchLike;
}

export interface TunnelRunnerDeps {
  store: TunnelStore;
  box: SecretBox;
  publish: (event: PushEvent) => void;
  receiver: Pick<Receiver, 'receive'>;
  writer: Pick<DeliveryWriter, 'write'>;
  lookupHook: TunnelDeliveryDeps['lookupHook'];
  lookupInbox?: TunnelDeliveryDeps['lookupInbox'];
  /** Where hook URLs point without a tunnel, on the settings as they are. */
  receiverBase: (setting: SettingsView) => string;
  now?: () => number;
}

export function createTunnelRunner(deps: TunnelRunnerDeps, options: TunnelOptions = {}) {
  const { store } = deps;
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

  function reportSaveFailure(error: unknown): void {
    live.lastError = `The tunnel's state could not be saved: ${(error as Error).message}`;
    live.lastErrorAt = now();
  }

  /** A write the stream's events do not wait for: a failure is reported in the status, not thrown at the stream. */
  function inBackground(work: MaybePromise<unknown>): void {
    if (work instanceof Promise) work.catch(reportSaveFailure);
  }

  function activity(kind: ActivityKind, message: string): MaybePromise<void> {
    return after(store.recordActivity({ kind, message, at: now() }), (entry) => deps.publish({ type: 'activity', entry }));
  }

  const gapLog = createGapLog({ store, record: (message) => inBackground(activity('tunnel_gap', message)), announce: (gap) => deps.publish({ type: 'tunnel_gap', gap }) });
  const statusOut = createStatusPublisher({ store, live, pid: process.pid, publish: deps.publish, now });
  const { snapshot } = statusOut;
  const publish = (save: 'always' | 'throttled') => inBackground(statusOut.publish(save));

  /** A stream is up again: the window since reading stopped (a drop, a stall, or before this process) is a gap. */
  function closeGap(channelUrl: string, gapFrom: number | null, previous: TunnelState, at: number): MaybePromise<unknown> {
    const stoppedAt = readStoppedAt?.channelUrl === channelUrl ? readStoppedAt.at : null;
    readStoppedAt = null;
    if (gapFrom !== null) return gapLog.add(gapStart(gapFrom, live.lastEventAt, live.lastRelayedAt), at, previous === 'stalled' ? 'stalled' : 'dropped');
    if (!wasConnected && stoppedAt !== null) return gapLog.add(stoppedAt, at, 'not running');
    return undefined;
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
      const message = wasConnected ? `Tunnel reconnected to ${channelUrl}.` : `Tunnel connected to ${channelUrl}; its events go to the receiver.`;
      const gap = closeGap(channelUrl, change.gapFrom, previous, at);
      // The gap reaches the feed before the connection that closed it, on either store.
      inBackground(after(gap instanceof Promise ? gap.catch(reportSaveFailure) : gap, () => activity('tunnel_connected', message)));
      wasConnected = true;
    } else if (change.state === 'stalled' && previous === 'connected') {
      history.down();
      inBackground(activity('tunnel_stalled', `Tunnel to ${channelUrl} stalled: ${change.error ?? 'no ping'}`));
    } else if (change.state === 'reconnecting' && previous === 'connected') {
      history.down();
      inBackground(activity('tunnel_disconnected', `Tunnel connection to ${channelUrl} dropped (${change.error ?? 'closed'}); reconnecting at once.`));
    } else if (change.state === 'reconnecting' && previous === 'connecting') {
      inBackground(activity('tunnel_disconnected', `Tunnel could not connect to ${channelUrl} (${change.error ?? 'failed'}); retrying with backoff.`));
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

  /** `lastRead`: when the channel was last read before this process took it (lastReadBefore). */
  function connect(channelUrl: string, lastRead: number | null): SmeeConnection {
    channelHost = new URL(channelUrl).host;
    wasConnected = false;
    history.begin(channelUrl);
    if (!readStoppedAt && lastRead !== null) readStoppedAt = { channelUrl, at: lastRead };
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
      const config = tunnelConfigOf(await store.settings());
      const wanted = config.enabled ? config.channelUrl : null;
      if ((connection?.channelUrl ?? null) === wanted) return;
      const old = connection;
      connection = null;
      if (old) {
        const wasUp = old.state === 'connected';
        await old.stop();
        if (wasUp) readStoppedAt = { channelUrl: old.channelUrl, at: now() };
        if (wanted === null) await activity('tunnel_disconnected', `Tunnel to ${old.channelUrl} disconnected: it was turned off. smee drops what arrives meanwhile.`);
      }
      live.state = 'disconnected';
      history.down();
      live.nextRetryAt = null;
      if (wanted) connect(wanted, readStoppedAt ? null : await lastReadBefore(store, wanted));
      else await statusOut.publish('always');
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
  const status = (): MaybePromise<TunnelStatus> => (started ? snapshot() : readSavedStatus(store, now()));

  const commands = tunnelCommands({
    store,
    gapLog,
    publish: deps.publish,
    activity,
    reconcile,
    status,
    receiverBase: deps.receiverBase,
    now,
    fetch: options.fetch,
    forgotten: () => {
      Object.assign(live, idleLive());
      history.forget();
    },
  });

  return {
    ...commands,
    status,
    /** The connection's state here: disconnected where the tunnel is not running. */
    state: (): TunnelState => (started ? live.state : 'disconnected'),
    /** Whether this process runs the tunnel now. */
    running: () => started,
    /** Reads the settings now rather than at the next watch (they were changed elsewhere). */
    reconcile,
    /** Connects when a channel is configured, and keeps watching the settings. */
    async start(): Promise<void> {
      if (!started) {
        started = true;
        // A restart remembers when the channel was last connected (the previous run saved it).
        history.restore(await readSavedStatus(store, now()));
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
          await activity('tunnel_disconnected', `Tunnel to ${old.channelUrl} disconnected: Hookbench stopped.`);
        }
      }
      await intake.stored();
      statusOut.cancel();
      if (!old) return;
      live.state = 'disconnected';
      history.down();
      live.nextRetryAt = null;
      await statusOut.publish('always');
    },
    /** Settles once every event taken so far is stored. */
    drained(): Promise<void> {
      return intake.stored();
    },
    /** Events from the channel are being stored: ingest waits, as it does for the receiver's requests. */
    busy: () => intake.busy(),
  };
}

export type TunnelRunner = ReturnType<typeof createTunnelRunner>;
