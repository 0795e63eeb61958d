/**
 * One live connection to a smee channel through smee-client, with Hookbench's own
 * policy on top:
 * - smee-client's forwarder stays off: events are taken in-process, and the stream is
 *   read only as fast as they are stored (gated-fetch.ts).
 * - smee keeps nothing while no one listens, so a dropped stream is reopened at once,
 *   then in short jittered steps (backoff.ts).
 * - A stream that goes quiet (no ping past the stall threshold) is not closed: a paused
 *   smee flushes what it held when it resumes. It stays open, its events still taken,
 *   until a new stream is up; only then is it let go.
 */
import { SmeeClient } from 'smee-client';
import type { TunnelState } from '../../../shared/types';
import { createBackoff, HEALTHY_OPEN_MS, type BackoffTuning } from './backoff';
import { gatedFetch, type Stored } from './gated-fetch';

export interface ConnectionTuning extends BackoffTuning {
  /** No ping (or other event) for longer than this means the stream stalled. smee pings every 30 s. */
  stallMs?: number;
  /** How long one connection attempt may take before it counts as failed. */
  connectTimeoutMs?: number;
}

export interface StateChange {
  state: TunnelState;
  error: string | null;
  /** Failed attempts in a row. */
  attempt: number;
  nextRetryAt: number | null;
  /**
   * On "connected" after a drop or stall: when the stream it replaces was last known to
   * deliver (the drop, or the last thing a silent stream sent). Anything smee relayed
   * between then and now reached no one. null on a first connection.
   */
  gapFrom: number | null;
}

export interface ConnectionHandlers {
  onState(change: StateChange): void;
  onMessage(data: string): void;
  onPing(at: number): void;
  /** Settles once every event passed to onMessage so far is stored. */
  stored: Stored;
}

export const DEFAULT_STALL_MS = 60_000;
/**
 * How long a silent stream is kept once its replacement is up, counted from the last thing
 * it delivered: a smee that was paused flushes to the old stream what it held, and that
 * may still be in flight when the new stream opens.
 */
const SILENT_GRACE_MS = 2_000;
/** …but not for ever, should the old stream keep delivering beside the new one. */
const SILENT_GRACE_MAX_MS = 30_000;

/** smee-client insists on a target URL even when its forwarder is off; nothing is sent there. */
const UNUSED_TARGET = 'http://127.0.0.1/';
const QUIET = { info: () => undefined, error: () => undefined };

interface Stream {
  client: SmeeClient;
  /** When the stream opened; null while connecting. */
  openedAt: number | null;
  /** The last time anything arrived on it (or it opened). */
  lastSeenAt: number;
  stallTimer: NodeJS.Timeout | null;
  /** For a silent stream whose replacement is up: when it is let go. */
  graceTimer: NodeJS.Timeout | null;
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; code?: unknown; cause?: { message?: unknown } };
    const cause = typeof e.cause?.message === 'string' ? `: ${e.cause.message}` : '';
    if (typeof e.message === 'string' && e.message) return e.message.replace(/^TypeError: /, '') + cause;
    if (typeof e.code === 'number') return `HTTP ${e.code}`;
  }
  return 'the connection failed';
}

export function createSmeeConnection(channelUrl: string, handlers: ConnectionHandlers, tuning: ConnectionTuning = {}, now: () => number = Date.now) {
  const stallMs = tuning.stallMs ?? DEFAULT_STALL_MS;
  const connectTimeoutMs = tuning.connectTimeoutMs ?? 20_000;
  const backoff = createBackoff(tuning);
  const fetchImpl = gatedFetch(handlers.stored);

  let running = false;
  let state: TunnelState = 'disconnected';
  /** The newest stream, connecting or open; anything else still open is in `silent`. */
  let current: Stream | null = null;
  const silent = new Set<Stream>();
  let retryTimer: NodeJS.Timeout | null = null;
  /** When the last open stream dropped, while no new one is up. */
  let lostSince: number | null = null;

  const set = (next: TunnelState, error: string | null = null, nextRetryAt: number | null = null, gapFrom: number | null = null) => {
    state = next;
    handlers.onState({ state: next, error, attempt: next === 'connected' ? 0 : backoff.failures, nextRetryAt, gapFrom });
  };

  const taking = (stream: Stream) => stream === current || silent.has(stream);

  function close(stream: Stream): void {
    if (stream.stallTimer) clearTimeout(stream.stallTimer);
    if (stream.graceTimer) clearTimeout(stream.graceTimer);
    stream.stallTimer = stream.graceTimer = null;
    silent.delete(stream);
    if (current === stream) current = null;
    void stream.client.stop().catch(() => undefined);
  }

  const seen = (stream: Stream) => {
    stream.lastSeenAt = now();
    stream.stallTimer?.refresh();
    stream.graceTimer?.refresh();
  };

  /** Lets a silent stream go once it has delivered nothing for a while (its replacement is up). */
  function release(stream: Stream): void {
    if (stream.graceTimer) return;
    const deadline = now() + SILENT_GRACE_MAX_MS;
    stream.graceTimer = setTimeout(function check() {
      if (now() - stream.lastSeenAt >= SILENT_GRACE_MS || now() >= deadline) return close(stream);
      stream.graceTimer = setTimeout(check, SILENT_GRACE_MS - (now() - stream.lastSeenAt));
      stream.graceTimer.unref();
    }, SILENT_GRACE_MS);
    stream.graceTimer.unref();
  }

  function scheduleRetry(error: string): void {
    const delayMs = backoff.failed();
    const waiting: TunnelState = [...silent].some((s) => !s.graceTimer) ? 'stalled' : 'reconnecting';
    if (delayMs === 0) {
      set(waiting, error, now());
      void open();
      return;
    }
    set(waiting, error, now() + delayMs);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void open();
    }, delayMs);
    retryTimer.unref();
  }

  function failed(stream: Stream, error: string): void {
    if (!running) return;
    if (silent.has(stream)) {
      // A silent stream gave out before a new one was up: what it last delivered starts the gap.
      if (current?.openedAt == null) lostSince = Math.max(lostSince ?? 0, stream.lastSeenAt);
      close(stream);
      if (!current && !retryTimer) scheduleRetry(error);
      return;
    }
    if (stream !== current) return;
    if (stream.openedAt !== null) {
      // Only a stream that stayed up resets the backoff: a proxy that accepts and hangs up at once must not be hammered.
      if (now() - stream.openedAt >= HEALTHY_OPEN_MS) backoff.succeeded();
      lostSince = now();
    }
    close(stream);
    scheduleRetry(error);
  }

  function stalled(stream: Stream): void {
    if (stream !== current || !running) return;
    if (stream.stallTimer) clearTimeout(stream.stallTimer);
    stream.stallTimer = null;
    current = null;
    silent.add(stream);
    set('stalled', `No ping from smee for over ${Math.round(stallMs / 1000)} s: the stream stalled; opening a new one (the silent one is kept until then).`);
    void open();
  }

  /** When reading stopped, for the gap a new stream closes. */
  const gapStart = (): number | null => {
    const times = [...silent].map((s) => s.lastSeenAt);
    if (lostSince !== null) times.push(lostSince);
    return times.length > 0 ? Math.max(...times) : null;
  };

  async function open(): Promise<void> {
    if (!running) return;
    const client = new SmeeClient({ source: channelUrl, target: UNUSED_TARGET, forward: false, logger: QUIET, maxConnectionTimeout: connectTimeoutMs, fetch: fetchImpl });
    const stream: Stream = { client, openedAt: null, lastSeenAt: now(), stallTimer: null, graceTimer: null };
    current = stream;
    client.onmessage = (message: MessageEvent) => {
      if (!taking(stream)) return;
      seen(stream);
      handlers.onMessage(String(message.data));
    };
    client.onerror = (event) => failed(stream, describeError(event));
    try {
      const events = await client.start();
      if (stream !== current || !running) {
        close(stream);
        return;
      }
      events.addEventListener('ping', () => {
        if (!taking(stream)) return;
        seen(stream);
        handlers.onPing(now());
      });
      stream.openedAt = stream.lastSeenAt = now();
      stream.stallTimer = setTimeout(() => stalled(stream), stallMs);
      stream.stallTimer.unref();
      const gapFrom = gapStart();
      // The new stream is up: the silent ones go once they have nothing more to deliver.
      for (const old of silent) release(old);
      lostSince = null;
      set('connected', null, null, gapFrom);
    } catch (error) {
      failed(stream, describeError(error));
    }
  }

  return {
    get state(): TunnelState {
      return state;
    },
    channelUrl,
    start(): void {
      if (running) return;
      running = true;
      set('connecting');
      void open();
    },
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const open = [...silent, ...(current ? [current] : [])];
      for (const stream of open) close(stream);
      await Promise.all(open.map((s) => s.client.stop().catch(() => undefined)));
      set('disconnected');
    },
  };
}

export type SmeeConnection = ReturnType<typeof createSmeeConnection>;
