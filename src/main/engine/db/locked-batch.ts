import type { Db } from './open';
import { unsyncedTransaction } from './unsynced-transaction';
import { isBusy, lockRetryDelay } from './write-lock';

interface Queued<J> {
  job: J;
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Jobs finishing together share one unsynced transaction, written on a later turn of the
 * event loop. While another process holds the write lock the jobs wait (in order) and are
 * tried again on a short timer, never in SQLite's busy handler.
 */
export function createLockedBatch<J, R>(db: Db, write: (jobs: J[]) => R, after: (result: R) => void) {
  let queued: Queued<J>[] = [];
  let scheduled = false;
  let tries = 0;

  function run(): void {
    const batch = queued;
    queued = [];
    let result: R;
    try {
      result = unsyncedTransaction(db, () => write(batch.map((q) => q.job)));
    } catch (error) {
      if (isBusy(error)) {
        // Still scheduled: jobs arriving meanwhile join this batch.
        queued = [...batch, ...queued];
        setTimeout(run, lockRetryDelay(tries++));
        return;
      }
      settled();
      for (const q of batch) q.failed(error);
      return;
    }
    settled();
    for (const q of batch) q.done();
    try {
      after(result);
    } catch (error) {
      // Committed already; what follows (events, the next claims) must not take the process down.
      console.error('hookbench: after a commit:', (error as Error).message);
    }
  }

  function settled(): void {
    tries = 0;
    scheduled = false;
    if (queued.length > 0) schedule();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(run);
  }

  return (job: J): Promise<void> =>
    new Promise((done, failed) => {
      queued.push({ job, done, failed });
      schedule();
    });
}
