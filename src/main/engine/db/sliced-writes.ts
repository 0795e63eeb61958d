import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from './open';
import { unsyncedTransaction } from './unsynced-transaction';
import { createWalSync } from './wal-sync';
import { whenUnlocked } from './write-lock';

/*
 * Long jobs (an import, thousands of triggered messages) write in slices of a few
 * milliseconds, each its own transaction, so that a running serve's receiver never waits
 * long for the write lock.
 *
 * Between two slices the writer pauses for half as long as it held the lock: SQLite's lock
 * is not fair, and a writer that took it again at once would keep the other process waiting
 * through the whole job. With the pause, the other process (which tries again every few
 * milliseconds) finds the lock free a third of the time, while the job loses little speed. The slices commit without waiting for the disk while holding the
 * lock; one flush of the write-ahead log at the end, outside it, makes them all durable
 * (see wal-sync.ts).
 */

/** Longest one slice writes. */
const SLICE_MS = 4;
/** The pause after a slice, as a share of the time it held the lock. */
const PAUSE_SHARE = 0.5;

async function slice<R>(db: Db, run: () => R): Promise<R> {
  const started = performance.now();
  const result = await whenUnlocked(() => unsyncedTransaction(db, run));
  await delay(Math.max(1, Math.round((performance.now() - started) * PAUSE_SHARE)));
  return result;
}

/** Resolves once everything this connection committed is on disk. */
async function durable(db: Db): Promise<void> {
  const walSync = createWalSync(db.$client);
  try {
    await new Promise<void>((resolve, reject) => walSync.afterCommit((error) => (error ? reject(error) : resolve())));
  } finally {
    await walSync.close();
  }
}

/** Writes one row (or a few) per item, in slices; returns what `write` returned for each item, in order. */
export async function writeInSlices<T, R>(db: Db, items: readonly T[], write: (item: T) => R, onSlice: (written: number) => void = () => undefined): Promise<R[]> {
  const results: R[] = [];
  while (results.length < items.length) {
    const written = await slice(db, () => {
      const started = performance.now();
      const out: R[] = [];
      do out.push(write(items[results.length + out.length]!));
      while (results.length + out.length < items.length && performance.now() - started < SLICE_MS);
      return out;
    });
    results.push(...written);
    onSlice(written.length);
  }
  if (results.length > 0) await durable(db);
  return results;
}

/**
 * Deletes with `chunk` (a few hundred rows at most; returns how many) until nothing is left.
 * `pace`, awaited before each slice, lets a background job wait for the receiver to be idle.
 */
export async function deleteInSlices(db: Db, chunk: () => number, pace?: () => Promise<void>): Promise<void> {
  let deleted = false;
  while ((await pace?.(), await slice(db, chunk)) > 0) deleted = true;
  if (deleted) await durable(db);
}
