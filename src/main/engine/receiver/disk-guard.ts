import { statfs } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { size } from '../../../shared/size';
import type { DiskState } from '../../../shared/retention-types';
import { send } from './reply';

/** How often free space is looked at while serving. */
const CHECK_EVERY_MS = 1000;
/**
 * After SQLite said the disk is full, requests are refused at once, but one is let through this
 * often to try: space may come back inside the database file (pruning) without showing on the
 * volume. The first delivery stored again ends it.
 */
const PROBE_EVERY_MS = 2000;

/** SQLite could not write for lack of space (the database or its write-ahead log). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

export interface DiskGuardOptions {
  dataDir: string;
  /** Below this many free bytes on the volume, deliveries are refused before anything is written; 0 turns that off. */
  floorBytes: number;
  now?: () => number;
  /** Refusing began (reason) or ended (how long, how many were refused). */
  onChange?: (state: DiskState, ended: { refused: number; since: number; reason: string } | null) => void;
}

/**
 * While the volume holding the data dir is full (SQLite said so) or its free space is under
 * the floor, the receiver answers 503 without reading the body: a provider retries later,
 * and nothing is acknowledged that could not be stored. What was acknowledged before is
 * committed already, so nothing is lost.
 */
export function createDiskGuard(options: DiskGuardOptions) {
  const now = options.now ?? Date.now;
  let reason: string | null = null;
  let since: number | null = null;
  let refused = 0;
  let lowReason: string | null = null;
  let fullReason: string | null = null;
  let nextProbeAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let checking = false;

  const state = (): DiskState => ({ refusing: reason !== null, reason, since, refused, floorBytes: options.floorBytes });

  /** Refusing follows the floor and SQLite's last word; the feed hears when it starts and ends. */
  function update(): void {
    const want = lowReason ?? fullReason;
    if (want !== null && reason === null) {
      reason = want;
      since = now();
      refused = 0;
      options.onChange?.(state(), null);
    } else if (want === null && reason !== null) {
      const ended = { refused, since: since!, reason };
      reason = null;
      since = null;
      options.onChange?.(state(), ended);
    } else if (want !== null) reason = want;
  }

  async function check(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      const s = await statfs(options.dataDir);
      const free = s.bavail * s.bsize;
      lowReason =
        options.floorBytes > 0 && free < options.floorBytes
          ? `only ${size(free)} is free on the volume holding ${options.dataDir}, under the ${size(options.floorBytes)} kept free (serve --min-free)`
          : null;
    } catch {
      // A volume that cannot be asked is judged by SQLite's own errors alone.
      lowReason = null;
    } finally {
      checking = false;
    }
    update();
  }

  return {
    /** Why deliveries are being refused, or null; counts the refusal. */
    refusal(): string | null {
      if (reason === null) return null;
      if (lowReason === null && now() >= nextProbeAt) {
        nextProbeAt = now() + PROBE_EVERY_MS;
        return null;
      }
      refused++;
      return reason;
    },
    /** A write failed: when it was for lack of space, refuse for a while and say so. */
    noteFailure(error: unknown): boolean {
      if (!isDiskFull(error)) return false;
      fullReason = `the disk holding ${options.dataDir} is full (SQLite could not write: ${(error as { code?: string }).code})`;
      nextProbeAt = now() + PROBE_EVERY_MS;
      update();
      refused++;
      return true;
    },
    /** A delivery was stored: whatever SQLite said about the disk before no longer holds. */
    noteStored(): void {
      if (fullReason === null) return;
      fullReason = null;
      update();
    },
    state,
    check,
    start(): void {
      void check();
      timer ??= setInterval(() => void check(), CHECK_EVERY_MS);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type DiskGuard = ReturnType<typeof createDiskGuard>;

const RETRY_AFTER_SECONDS = '30';

/** Answers 503 (the body unread) while the guard refuses deliveries; true when it did. */
export function refusedForDisk(guard: DiskGuard | undefined, res: ServerResponse): boolean {
  const reason = guard?.refusal();
  if (!reason) return false;
  send(res, 503, { error: 'disk_full', reason: `Nothing can be stored now: ${reason}. Try again later.` }, true, { 'retry-after': RETRY_AFTER_SECONDS });
  return true;
}

/** A request whose write failed for lack of space: 503, so the sender retries; true when it was that. */
export function answeredDiskFull(guard: DiskGuard | undefined, error: unknown, res: ServerResponse): boolean {
  if (!guard?.noteFailure(error)) return false;
  if (res.headersSent) res.destroy();
  else send(res, 503, { error: 'disk_full', reason: `Not stored: ${guard.state().reason}. Try again later.` }, true, { 'retry-after': RETRY_AFTER_SECONDS });
  return true;
}
