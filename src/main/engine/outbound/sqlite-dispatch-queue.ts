import { eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { endpoints, messages } from '../db/schema';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { whenUnlocked } from '../db/write-lock';
import type { SecretBox } from '../secrets/secret-box';
import { freeSlots, leaseEnd, type Claimed, type ClaimScope, type DispatchQueue } from './dispatch-queue';
import { attemptRecorder } from './record-attempt';
import { prepareDispatchStatements } from './statements';

/**
 * The dispatcher's queue in a SQLite data dir. A write transaction holds the database's one
 * write lock, so counting an endpoint's live claims inside the claiming transaction is enough
 * for max in flight to hold across processes. Writes never wait inside SQLite's busy handler:
 * while another process holds the lock they are tried again on a timer (whenUnlocked).
 */
export function sqliteDispatchQueue(db: Db, box: SecretBox, options: { now: () => number; delayScale?: number }): DispatchQueue {
  const q = prepareDispatchStatements(db);
  const record = attemptRecorder(db, box, q, options.now, options.delayScale);

  /** Claims what is due for every endpoint's free slots; call inside a transaction. */
  function claimWork(scope: ClaimScope): Claimed[] {
    const { at, only } = scope;
    const work: Claimed[] = [];
    for (const endpoint of q.activeEndpoints({ active: true })) {
      if (only !== null && endpoint.id !== only) continue;
      const free = freeSlots(endpoint.maxInFlight, q.liveClaims(endpoint.id, at), scope, endpoint.id);
      if (free <= 0) continue;
      const claimed = q.claimDue(endpoint.id, at, leaseEnd(endpoint, at), free);
      // RETURNING gives no order: send the oldest due first.
      claimed.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.id - b.id);
      for (const message of claimed) work.push([endpoint, message]);
    }
    return work;
  }

  const write = <T>(run: () => T): Promise<T> => whenUnlocked(() => unsyncedTransaction(db, run));

  return {
    async claimDue(scope) {
      // Ingest kicks the dispatcher for every batch of releases; with no endpoint there is nothing to claim.
      if (q.activeEndpoints({ active: true }).length === 0) return [];
      // Read again inside the transaction: another process may have changed an endpoint meanwhile.
      return write(() => claimWork(scope));
    },
    async claimOne(rowId, at) {
      const row = db.select({ message: messages, endpoint: endpoints }).from(messages).innerJoin(endpoints, eq(endpoints.id, messages.endpointId)).where(eq(messages.id, rowId)).get();
      if (!row) return undefined;
      const claimed = await write(() => q.claim(rowId, at, leaseEnd(row.endpoint, at)));
      return claimed ? [row.endpoint, claimed] : undefined;
    },
    recordAndClaim: (finished, scope) => write(() => ({ events: finished.flatMap(record), next: scope ? claimWork(scope) : [] })),
    reclaimExpired: (at) => write(() => q.reclaimExpired(at)),
    async recoverAtStart(recovery, at) {
      await write(() => (recovery === 'all' ? q.recoverAll() : q.reclaimExpired(at)));
    },
    nextDue: async () => q.nextDue.get()?.at ?? null,
  };
}
