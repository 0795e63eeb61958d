import { setTimeout as delay } from 'node:timers/promises';

/**
 * Another connection (often another process: the CLI beside a running serve) holds the
 * write lock. SQLite says so with SQLITE_BUSY (and its extended codes) when it was told not
 * to wait, which is how the serving process's background writes ask.
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Waits between tries for the write lock: short at first, since writers hold it for milliseconds. */
export function lockRetryDelay(tries: number): number {
  return Math.min(2 ** tries, 25);
}

/** Longest a write waits for another process to let go of the lock before it reports why it failed. */
const GIVE_UP_MS = 60_000;

/**
 * Runs a write that does not wait for the lock (see unsyncedTransaction), trying again on a
 * timer while another process holds it: the event loop keeps running meanwhile.
 */
export async function whenUnlocked<T>(write: () => T): Promise<T> {
  const since = Date.now();
  for (let tries = 0; ; tries++) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error) || Date.now() - since > GIVE_UP_MS) throw error;
    }
    await delay(lockRetryDelay(tries));
  }
}
