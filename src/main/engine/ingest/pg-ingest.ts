import type { Pool, PoolClient } from 'pg';
import type { PushEvent } from '../../../shared/contract';
import type { CheckResult } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import { derivedMessageId } from '../outbound/enqueue';
import { pgEnqueueEngineEvent } from '../outbound/pg-enqueue';
import { toPackageData } from '../store/packages';
import { contextFromPublished, type PublishedVersion } from './checks';
import { runStepsAsync, type AsyncIngestOps, type DeliveryRow, type PackageRow, type ReleaseRow } from './ingest-ops';
import { ingestSteps } from './ingest-steps';
import { pgIngestSql as sql } from './pg-ingest-statements';
import { pgInsertActivity } from '../store/pg-activity-statements';

/** Deliveries per ingest transaction, as the SQLite worker takes them. */
const BATCH = 32;

/** The store operations of ingest on one connection, inside its transaction. */
function pgIngestOps(client: PoolClient): AsyncIngestOps {
  const one = async <T>(query: { name: string; text: string }, values: unknown[]) => (await client.query<T & object>({ ...query, values })).rows[0] as T | undefined;
  const lockedPackages = new Set<string>();
  return {
    packageById: (id) => one<PackageRow>(sql.packageById, [id]),
    releaseByTag: (packageId, tag) => one<ReleaseRow>(sql.releaseByTag, [packageId, tag]),
    releaseById: (id) => one<ReleaseRow>(sql.releaseById, [id]),
    checksOf: async (releaseId) => (await client.query<CheckResult>({ ...sql.checksOf, values: [releaseId] })).rows,
    async checkContext(packageId, tag, version) {
      if (!lockedPackages.has(packageId)) {
        await client.query({ ...sql.lockPackage, values: [packageId] });
        lockedPackages.add(packageId);
      }
      const published = (await client.query<PublishedVersion>({ ...sql.publishedOf, values: [packageId] })).rows;
      return contextFromPublished(tag, version, published);
    },
    markTagDeleted: async (id, at) => void (await client.query({ ...sql.markTagDeleted, values: [id, at] })),
    recreateRelease: async (v) => void (await client.query({ ...sql.recreateRelease, values: [v.id, v.commitSha, v.deliveryId, v.status, v.updatedAt] })),
    clearChecks: async (releaseId) => void (await client.query({ ...sql.clearChecks, values: [releaseId] })),
    insertRelease: (v) => one<ReleaseRow>(sql.insertRelease, [v.packageId, v.tag, v.version, v.prerelease, v.commitSha, v.status, v.deliveryId, v.createdAt, v.updatedAt]),
    async insertChecks(rows) {
      const column = (pick: (row: (typeof rows)[number]) => unknown) => rows.map(pick);
      await client.query({ ...sql.insertChecks, values: [column((r) => r.releaseId), column((r) => r.rule), column((r) => r.severity), column((r) => r.passed), column((r) => r.detail)] });
    },
    settleDelivery: async (v) => void (await client.query({ ...sql.settleDelivery, values: [v.id, v.outcome, v.outcomeReason, v.releaseId] })),
    insertActivity: (v) => pgInsertActivity(client, v),
    enqueueEngineEvent: async (event, release, deliveryId, at) =>
      void (await pgEnqueueEngineEvent(
        client,
        event,
        async () => {
          const pkg = await one<PackageRow>(sql.packageById, [release.packageId]);
          return pkg && { package: toPackageData(pkg), release };
        },
        at,
        derivedMessageId(event, deliveryId),
      )),
    // Published releases are read again, under the package's lock, whenever the checks need them.
    published: async () => undefined,
    forget: async () => undefined,
  };
}

/**
 * Ingest on a team server's PostgreSQL database, beside any number of instances doing the same:
 * each transaction claims a batch of pending deliveries with FOR UPDATE SKIP LOCKED (another
 * instance's batch is skipped, not waited for), ingests them with the same steps as the SQLite
 * store, and commits their outcomes, releases, activity and outbound messages together. Two
 * pushes of one tag ingested at once make one release: the (package, tag) constraint keeps the
 * first, and the other is told it was already ingested.
 */
export function createPgIngester(pool: Pool) {
  /** Ingests one batch; how many deliveries it claimed (0: none was pending) and the events to publish. */
  async function ingestBatch(limit = BATCH): Promise<{ claimed: number; events: PushEvent[] }> {
    return inTransaction(
      pool,
      async (client) => {
        const pending = (await client.query<DeliveryRow>({ ...sql.claimPending, values: [limit] })).rows;
        const events: PushEvent[] = [];
        const ops = pgIngestOps(client);
        for (const delivery of pending) await runStepsAsync(ingestSteps(delivery, events), ops);
        return { claimed: pending.length, events };
      },
      // Rebuilt from the stored delivery, which stays pending until then, as SQLite's ingest is.
      { relaxed: true },
    );
  }
  return {
    ingestBatch,
    /** Ingests until nothing is pending; publishes each batch's events once it commits. */
    async drain(publish: (event: PushEvent) => void = () => undefined): Promise<void> {
      for (let batch = await ingestBatch(); batch.claimed > 0; batch = await ingestBatch()) for (const event of batch.events) publish(event);
    },
  };
}

export type PgIngester = ReturnType<typeof createPgIngester>;
