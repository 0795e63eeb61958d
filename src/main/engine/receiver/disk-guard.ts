import { statfs } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { size } from '../../../shared/size';
import type { DiskState } from '../../../shared/retention-types';
import { send } from './reply';

/** How often free space is looked at while serving. */
const CHECK_EVERY_MS = 1000;
/**
 * After SQLite said the disk is full, requests are refused at once until the volume has this
 * much more free space than it had then, or for at most FULL_HOLD_MS (space freed inside the
 * database file does not show on the volume) before one is let through to try again.
 */
const FREED_ENOUGH = 1024 ** 2;
const FULL_HOLD_MS = 30_000;

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
  let fullUntil = 0;
  let lowReason: string | null = null;
  let lastFree: number | null = null;
  let freeAtFull: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let checking = false;

  const state = (): DiskState => ({ refusing: reason !== null, reason, since, refused, floorBytes: options.floorBytes });

  function enter(why: string): void {
    if (reason !== null) return;
    reason = why;
    since = now();
    refused = 0;
    options.onChange?.(state(), null);
  }

  const stillFull = () => now() < fullUntil && !(lastFree !== null && freeAtFull !== null && lastFree >= freeAtFull + FREED_ENOUGH);

  function settle(): void {
    const why = lowReason ?? (stillFull() ? reason : null);
    if (why !== null) return enter(why);
    if (reason === null) return;
    const ended = { refused, since: since!, reason };
    reason = null;
    since = null;
    options.onChange?.(state(), ended);
  }

  async function check(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      const s = await statfs(options.dataDir);
      const free = s.bavail * s.bsize;
      lastFree = free;
      lowReason =
        options.floorBytes > 0 && free < options.floorBytes
          ? `only ${size(free)} is free on the volume holding ${options.dataDir}, under the ${size(options.floorBytes)} kept free (serve --min-free)`
          : null;
    } catch {
      // A volume that cannot be asked is judged by SQLite's own errors alone.
      lowReason = null;
      lastFree = null;
    } finally {
      checking = false;
    }
    settle();
  }

  return {
    /** Why deliveries are being refused, or null; counts the refusal. */
    refusal(): string | null {
      if (reason !== null && lowReason === null && !stillFull()) settle();
      if (reason === null) return null;
      refused++;
      return reason;
    },
    /** A write failed: when it was for lack of space, refuse for a moment and say so. */
    noteFailure(error: unknown): boolean {
      if (!isDiskFull(error)) return false;
      fullUntil = now() + FULL_HOLD_MS;
      freeAtFull = lastFree;
      enter(`the disk holding ${options.dataDir} is full (SQLite could not write: ${(error as { code?: string }).code})`);
      refused++;
      return true;
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
