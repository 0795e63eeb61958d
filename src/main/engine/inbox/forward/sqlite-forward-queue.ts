import type { Db } from '../../db/open';
import { createLockedBatch } from '../../db/locked-batch';
import { unsyncedTransaction } from '../../db/unsynced-transaction';
import { whenUnlocked } from '../../db/write-lock';
import type { DecideSettlement, FinishedForward, ForwardQueue } from './forward-queue';
import type { ForwardRow, ForwardStatements } from './statements';

interface RecordJob {
  job: FinishedForward;
  decide: DecideSettlement;
  recorded?: ForwardRow | undefined;
}

/**
 * The forward queue in a SQLite data dir. Claims and records take the write lock without
 * waiting in SQLite's busy handler: a claim that finds it held fails (the next poll tries
 * again), and records finishing together share one transaction, tried again on a timer while
 * another process holds the lock (createLockedBatch).
 */
export function sqliteForwardQueue(db: Db, q: ForwardStatements, now: () => number): ForwardQueue {
  const write = <T>(run: () => T): T => unsyncedTransaction(db, run);
  const recordSoon = createLockedBatch(
    db,
    (jobs: RecordJob[]) => {
      const at = now();
      for (const entry of jobs) {
        const { row } = entry.job;
        q.settle(row.id, entry.decide(entry.job, q.target({ inboxId: row.inboxId, url: row.targetUrl }), at));
        entry.recorded = q.byId({ id: row.id });
      }
    },
    () => undefined,
  );
  return {
    nextDue: async () => q.nextDue(),
    async claimDue(at, until, free) {
      return write(() =>
        q.dueTargets(at).flatMap((url) => {
          const slots = free(url);
          return slots > 0 ? q.claimDue(url, at, until, slots) : [];
        }),
      );
    },
    claimOne: (id, at, until) => whenUnlocked(() => write(() => q.claimOne(id, at, until))),
    // Read first, so an idle queue never takes the write lock.
    reclaimExpired: async (at) => (q.anyExpired(at) ? write(() => q.reclaimExpired(at)) : 0),
    release: (ids) => whenUnlocked(() => write(() => ids.forEach((id) => q.release(id)))),
    target: async (inboxId, url) => q.target({ inboxId, url }),
    captured: async (deliveryId) => q.captured(deliveryId),
    passBackRow: async (deliveryId) => q.passBackRow(deliveryId),
    byId: async (id) => q.byId({ id }),
    answeredWith: async (deliveryId, status) => void write(() => q.answeredWith(deliveryId, status)),
    async record(job, decide) {
      const entry: RecordJob = { job, decide };
      await recordSoon(entry);
      return entry.recorded;
    },
  };
}
