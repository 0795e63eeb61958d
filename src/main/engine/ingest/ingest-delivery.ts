import type { PushEvent } from '../../../shared/contract';
import type { Db } from '../db/open';
import type { packages } from '../db/schema';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { derivedMessageId, enqueueEngineEvent } from '../outbound/enqueue';
import { packageData } from '../store/packages';
import type { IngestOps } from './ingest-ops';
import { runSteps } from './ingest-ops';
import { ingestSteps } from './ingest-steps';
import { createReleaseIndex } from './release-index';
import { prepareIngestStatements } from './statements';

/**
 * Ingests stored deliveries, each with its outcome, release, activity and outbound
 * messages written together: a crash leaves a delivery either pending or done, never
 * done twice. Several share one transaction (and one fsync).
 */
export function createIngester(db: Db) {
  const q = prepareIngestStatements(db.$client);
  const index = createReleaseIndex(db.$client);
  /** Packages read in the transaction under way; cleared with each, so a removal is seen by the next. */
  const packagesRead = new Map<string, typeof packages.$inferSelect | undefined>();
  // The write lock is held for the whole transaction: no other process inserts a release meanwhile.
  const ops: IngestOps = {
    packageById(id) {
      if (!packagesRead.has(id)) packagesRead.set(id, q.packageById({ id }));
      return packagesRead.get(id);
    },
    releaseByTag: (packageId, tag) => q.releaseByTag({ packageId, tag }),
    releaseById: (id) => q.releaseById({ id }),
    checksOf: (releaseId) => q.checksOf({ releaseId }),
    checkContext: (packageId, tag, version) => index.context(packageId, tag, version),
    markTagDeleted: (id, at) => void q.markTagDeleted({ id, status: 'tag_deleted', updatedAt: at }),
    recreateRelease: (values) => void q.recreateRelease(values),
    clearChecks: (releaseId) => void q.clearChecks({ releaseId }),
    insertRelease: (values) => q.insertRelease(values),
    insertChecks: (rows) => q.insertChecks(rows),
    settleDelivery: (values) => void q.settleDelivery(values),
    insertActivity: (values) => q.insertActivity(values),
    enqueueEngineEvent(event, release, deliveryId, at) {
      enqueueEngineEvent(db, event, () => ({ package: packageData(db, release.packageId), release }), at, () => derivedMessageId(event, deliveryId));
    },
    published: (packageId, release) => index.published(packageId, release),
    forget: (packageId) => index.forget(packageId),
  };

  function ingestOne(deliveryId: number, events: PushEvent[]): void {
    const delivery = q.pendingDelivery({ id: deliveryId });
    if (delivery) runSteps(ingestSteps(delivery, events), ops);
  }

  /** Ingests in order until the ids run out or the time budget does; the rest stay pending. */
  return (deliveryIds: number[], budgetMs = Number.POSITIVE_INFINITY): PushEvent[] => {
    const events: PushEvent[] = [];
    const started = performance.now();
    packagesRead.clear();
    try {
      unsyncedTransaction(db, () => {
        index.sync();
        for (const id of deliveryIds) {
          ingestOne(id, events);
          if (performance.now() - started > budgetMs) break;
        }
      });
    } catch (error) {
      index.forget();
      throw error;
    }
    return events;
  };
}

export type Ingester = ReturnType<typeof createIngester>;
