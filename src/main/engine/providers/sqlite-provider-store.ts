import { and, asc, count, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/open';
import { connections, deliveries, hooks, packages, releases } from '../db/schema';
import { recordActivity } from '../store/activity';
import { addPackage, hooksChanged } from '../store/packages';
import { toDeliverySummary } from '../store/rows';
import { receiverBaseUrl } from '../store/settings';
import type { ConnectionRow, ProviderStore } from './provider-store';

const { body: _body, headers: _headers, ...summaryColumns } = getTableColumns(deliveries);

/**
 * Provider work on a data dir's SQLite database. Each call runs synchronously (a write in one
 * immediate transaction: a running serve may write the same row), so awaiting it costs nothing.
 */
export function sqliteProviderStore(db: Db, box: Parameters<typeof addPackage>[1]): ProviderStore {
  const packagesUsing = (connectionId: string) => db.select({ n: count() }).from(packages).where(eq(packages.connectionId, connectionId)).get()?.n ?? 0;
  const withUse = (row: ConnectionRow) => ({ row, packages: packagesUsing(row.id) });
  return {
    receiverBase: async () => receiverBaseUrl(db),

    async insertConnection(row, activity) {
      db.transaction((tx) => {
        tx.insert(connections).values(row).run();
        recordActivity(tx, activity);
      });
    },
    connection: async (id) => db.select().from(connections).where(eq(connections.id, id)).get(),
    connections: async () => db.select().from(connections).orderBy(desc(connections.createdAt)).all().map(withUse),
    async removeConnection(id, activity) {
      return db.transaction(
        (tx) => {
          if (!tx.select({ id: connections.id }).from(connections).where(eq(connections.id, id)).get()) return null;
          const detached = tx.select({ id: packages.id }).from(packages).where(eq(packages.connectionId, id)).all().map((p) => p.id);
          tx.update(packages).set({ connectionId: null }).where(eq(packages.connectionId, id)).run();
          tx.delete(connections).where(eq(connections.id, id)).run();
          recordActivity(tx, activity(detached));
          return detached;
        },
        { behavior: 'immediate' },
      );
    },

    async managed(packageId) {
      const row = db.select({ pkg: packages, hook: hooks }).from(packages).innerJoin(hooks, eq(hooks.packageId, packages.id)).where(eq(packages.id, packageId)).get();
      if (!row) return undefined;
      const connection = row.pkg.connectionId ? (db.select().from(connections).where(eq(connections.id, row.pkg.connectionId)).get() ?? null) : null;
      return { ...row, connection };
    },
    async changeHook(known, set, activity) {
      return db.transaction(
        (tx) => {
          const current = tx.select().from(hooks).where(eq(hooks.id, known.id)).get() ?? known;
          const values = set(current);
          tx.update(hooks).set(values).where(eq(hooks.id, known.id)).run();
          hooksChanged();
          return { hook: { ...current, ...values }, entry: activity ? recordActivity(tx, activity) : null };
        },
        // Immediate: a running serve writes the same row (a ping verifying it); read and write under one lock.
        { behavior: 'immediate' },
      );
    },
    async markChecked(hookId, at) {
      db.update(hooks).set({ upstreamCheckedAt: at }).where(eq(hooks.id, hookId)).run();
    },
    addPackage: async (input) => addPackage(db, box, input),
    async setPackageConnection(packageId, connectionId) {
      db.update(packages).set({ connectionId }).where(eq(packages.id, packageId)).run();
    },
    checkablePackageIds: async () =>
      db
        .select({ id: packages.id })
        .from(packages)
        .innerJoin(hooks, eq(hooks.packageId, packages.id))
        .where(and(isNotNull(packages.connectionId), isNotNull(hooks.providerHookId), isNull(hooks.rotationStep)))
        .orderBy(packages.createdAt)
        .all()
        .map((r) => r.id),
    packageIdsWithHooks: async () =>
      db
        .select({ id: packages.id })
        .from(packages)
        .innerJoin(hooks, eq(hooks.packageId, packages.id))
        .orderBy(packages.createdAt)
        .all()
        .map((r) => r.id),

    async deliveriesByProviderId(hookId, providerIds) {
      if (providerIds.length === 0) return [];
      return db
        .select(summaryColumns)
        .from(deliveries)
        .where(and(eq(deliveries.hookId, hookId), inArray(deliveries.providerDeliveryId, providerIds)))
        .orderBy(asc(deliveries.id))
        .all()
        .map(toDeliverySummary);
    },
    lastDeliveryId: async (hookId) => db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.hookId, hookId)).orderBy(desc(deliveries.id)).limit(1).get()?.id ?? 0,
    async deliveryAfter(hookId, afterId, event) {
      const row = db
        .select(summaryColumns)
        .from(deliveries)
        .where(and(eq(deliveries.hookId, hookId), gt(deliveries.id, afterId), eq(deliveries.event, event)))
        .orderBy(asc(deliveries.id))
        .limit(1)
        .get();
      return row ? toDeliverySummary(row) : undefined;
    },
    deliveryOutcome: async (id) =>
      db
        .select({ id: deliveries.id, outcome: deliveries.outcome, outcomeReason: deliveries.outcomeReason, releaseId: deliveries.releaseId })
        .from(deliveries)
        .where(eq(deliveries.id, id))
        .get(),
    releasedTags: async (packageId) =>
      db.select({ tag: releases.tag, status: releases.status, updatedAt: releases.updatedAt }).from(releases).where(eq(releases.packageId, packageId)).all(),
    pendingTags: async (packageId) =>
      db
        .select({ tag: deliveries.tag })
        .from(deliveries)
        .where(and(eq(deliveries.packageId, packageId), eq(deliveries.outcome, 'pending'), isNotNull(deliveries.tag)))
        .all()
        .map((d) => d.tag!),

    recordActivity: async (entry) => recordActivity(db, entry),
  };
}
