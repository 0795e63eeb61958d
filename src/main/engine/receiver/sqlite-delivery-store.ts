import type { Db } from '../db/open';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { createWalSync } from '../db/wal-sync';
import { isBusy } from '../db/write-lock';
import { enqueueRelay } from '../outbound/enqueue';
import type { SecretBox } from '../secrets/secret-box';
import { recordActivity } from '../store/activity';
import { toDeliverySummary } from '../store/rows';
import { planBatch, rowEvents } from './delivery-effects';
import { prepareDeliveryRows, type DeliveryRow } from './delivery-rows';
import type { CommittedBatch, DeliveryStore } from './delivery-store';
import { prepareHookProof } from './hook-proof';

export interface SqliteDeliveryStoreOptions {
  /** Seals credential headers at rest; the engine always gives its own. */
  box?: SecretBox;
  /** Inbox forwarding: queues a capture for its targets inside its commit. */
  forwards?: { queue: (row: DeliveryRow) => number };
}

/**
 * The SQLite group commit: a batch shares one unsynced transaction, and is durable once a WAL
 * flush that began after its commit returned is done. The flush runs off the event loop, so
 * requests keep being read and verified meanwhile. It never waits for the write lock: another
 * process holding it makes the commit fail at once as `busy`, and the writer tries again.
 */
export function createSqliteDeliveryStore(db: Db, options: SqliteDeliveryStoreOptions = {}): DeliveryStore {
  const rows = prepareDeliveryRows(db.$client, options.box);
  const hooks = prepareHookProof(db.$client);
  const walSync = createWalSync(db.$client);
  const facts = { hookNeedsProof: hooks.needsProof, packageRelays: rows.relayed };
  const forwards = options.forwards;

  function commit(batch: Parameters<DeliveryStore['commit']>[0]): CommittedBatch {
    const done: CommittedBatch = { stored: [], events: [], relayed: 0, forwarded: 0 };
    const plan = planBatch(facts, forwards !== undefined);
    unsyncedTransaction(db, () => {
      for (const delivery of batch) {
        const { row, duplicateOf } = rows.write(delivery);
        const summary = toDeliverySummary(row);
        done.stored.push({ summary, duplicateOf });
        const effects = plan(row);
        if (effects.verifyHook) hooks.markVerified(effects.verifyHook);
        const proofEntry = effects.proof && recordActivity(db, effects.proof);
        if (effects.relay) done.relayed += enqueueRelay(db, row, row.receivedAt);
        if (effects.forward && forwards) done.forwarded += forwards.queue(row);
        const entry = effects.activity && recordActivity(db, effects.activity);
        done.events.push(...rowEvents(summary, effects, proofEntry, entry));
      }
    });
    return done;
  }

  return {
    commit,
    afterCommit: (done) => walSync.afterCommit(done),
    // Anything else SQLite refuses is about a row (a constraint, a value): the others may go in alone.
    failure: (error) => (isBusy(error) ? 'busy' : 'row'),
    close: () => walSync.close(),
  };
}
