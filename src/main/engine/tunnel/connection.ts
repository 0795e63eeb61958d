/**
 * One live connection to a smee channel through smee-client, with Hookbench's own
 * policy on top: smee-client's forwarder stays off (events are taken in-process), every
 * failure closes the EventSource and reconnects with exponential backoff, and a stream
 * that goes quiet (no ping for longer than the stall threshold) is treated as dead.
 */
import { SmeeClient } from 'smee-client';
import type { TunnelState } from '../../../shared/types';

export interface ConnectionTuning {
  /** No ping (or other event) for longer than this means the stream stalled. smee pings every 30 s. */
  stallMs?: number;
  /** First retry delay; doubles per failed attempt (±20 % jitter) up to backoffMaxMs. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How long one connection attempt may take before it counts as failed. */
  connectTimeoutMs?: number;
}

export interface StateChange {
  state: TunnelState;
  error: string | null;
  /** Failed attempts in a row. */
  attempt: number;
  nextRetryAt: number | null;
}

export interface ConnectionHandlers {
  onState(change: StateChange): void;
  onMessage(data: string): void;
  onPing(at: number): void;
}

export const DEFAULT_STALL_MS = 60_000;

/** smee-client insists on a target URL even when its forwarder is off; nothing is sent there. */
const UNUSED_TARGET = 'http://127.0.0.1/';
const QUIET = { info: () => undefined, error: () => undefined };

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
  const initialMs = tuning.backoffInitialMs ?? 1_000;
  const maxMs = tuning.backoffMaxMs ?? 60_000;
  const connectTimeoutMs = tuning.connectTimeoutMs ?? 20_000;

  /** The attempt whose callbacks still count; anything older is ignored. */
  let current: { client: SmeeClient } | null = null;
  let running = false;
  let attempt = 0;
  let state: TunnelState = 'disconnected';
  let retryTimer: NodeJS.Timeout | null = null;
  let stallTimer: NodeJS.Timeout | null = null;

  const set = (next: TunnelState, error: string | null = null, nextRetryAt: number | null = null) => {
    state = next;
    handlers.onState({ state: next, error, attempt, nextRetryAt });
  };

  const clearTimers = () => {
    if (retryTimer) clearTimeout(retryTimer);
    if (stallTimer) clearTimeout(stallTimer);
    retryTimer = stallTimer = null;
  };

  const drop = (token: { client: SmeeClient }) => {
    if (current === token) current = null;
    void token.client.stop().catch(() => undefined);
  };

  function scheduleRetry(error: string, delayMs: number): void {
    const nextRetryAt = now() + delayMs;
    set('reconnecting', error, nextRetryAt);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void open();
    }, delayMs);
    retryTimer.unref();
  }

  function fail(token: { client: SmeeClient }, error: string): void {
    if (token !== current || !running) return;
    drop(token);
    clearTimers();
    attempt++;
    const base = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
    scheduleRetry(error, Math.round(base * (0.8 + Math.random() * 0.4)));
  }

  function stalled(token: { client: SmeeClient }): void {
    if (token !== current || !running) return;
    drop(token);
    clearTimers();
    const error = `No ping from smee for over ${Math.round(stallMs / 1000)} s: the stream stalled; reconnecting.`;
    set('stalled', error);
    scheduleRetry(error, 0);
  }

  const alive = (token: { client: SmeeClient }) => {
    if (token === current) stallTimer?.refresh();
  };

  async function open(): Promise<void> {
    if (!running) return;
    const client = new SmeeClient({ source: channelUrl, target: UNUSED_TARGET, forward: false, logger: QUIET, maxConnectionTimeout: connectTimeoutMs });
    const token = { client };
    current = token;
    client.onmessage = (message: MessageEvent) => {
      if (token !== current) return;
      alive(token);
      handlers.onMessage(String(message.data));
    };
    client.onerror = (event) => fail(token, describeError(event));
    try {
      const events = await client.start();
      if (token !== current || !running) {
        void client.stop().catch(() => undefined);
        return;
      }
      events.addEventListener('ready', () => alive(token));
      events.addEventListener('ping', () => {
        if (token !== current) return;
        alive(token);
        attempt = 0;
        handlers.onPing(now());
      });
      stallTimer = setTimeout(() => stalled(token), stallMs);
      stallTimer.unref();
      set('connected');
    } catch (error) {
      fail(token, describeError(error));
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
      attempt = 0;
      set('connecting');
      void open();
    },
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      clearTimers();
      const token = current;
      current = null;
      if (token) await token.client.stop().catch(() => undefined);
      set('disconnected');
    },
  };
}

export type SmeeConnection = ReturnType<typeof createSmeeConnection>;
