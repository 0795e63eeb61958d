import type { Pool } from 'pg';
import type { DeliverySummary } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import type { SecretBox } from '../secrets/secret-box';
import { pgRecordActivity } from '../store/pg-activity-statements';
import { pgAddPackage } from '../store/pg-packages';
import { pgPackageSql } from '../store/pg-package-statements';
import { toDeliverySummary } from '../store/rows';
import { pgProviderLock } from './pg-provider-lock';
import { pgProviderSql as sql } from './pg-provider-statements';
import type { ConnectionRow, DeliveryOutcome, HookRow, PackageRow, ProviderStore, ReleasedTag } from './provider-store';

type SummaryRow = Parameters<typeof toDeliverySummary>[0];

export interface PgProviderStoreOptions {
  /** Where providers deliver now (the team's public address). */
  receiverBase: () => string;
}

/**
 * Provider work on a team server's PostgreSQL database: sqliteProviderStore's reads and writes,
 * with the same rows back. A hook change reads the row under FOR UPDATE, so two instances (a
 * rotation on one, a ping verifying the hook on another) change it one after the other.
 */
export function pgProviderStore(pool: Pool, box: SecretBox, options: PgProviderStoreOptions): ProviderStore {
  const rows = async <T>(statement: { name: string; text: string }, values: unknown[]): Promise<T[]> => (await pool.query<T & object>({ ...statement, values })).rows;
  return {
    receiverBase: async () => options.receiverBase(),

    async insertConnection(row, activity) {
      await inTransaction(pool, async (client) => {
        await client.query({ ...sql.insertConnection, values: sql.connectionKeys.map((key) => row[key as keyof ConnectionRow]) });
        await pgRecordActivity(client, activity);
      });
    },
    connection: async (id) => (await rows<ConnectionRow>(sql.connectionById, [id]))[0],
    connections: async () =>
      (await rows<ConnectionRow & { packagesUsing: number }>(sql.connectionsWithUse, [])).map(({ packagesUsing, ...row }) => ({ row, packages: packagesUsing })),
    async removeConnection(id, activity) {
      return inTransaction(pool, async (client) => {
        if ((await client.query({ ...sql.lockConnection, values: [id] })).rows.length === 0) return null;
        const detached = (await client.query<{ id: string }>({ ...sql.packagesOfConnection, values: [id] })).rows.map((p) => p.id);
        await client.query({ ...sql.detachPackages, values: [id] });
        await client.query({ ...sql.deleteConnection, values: [id] });
        await pgRecordActivity(client, activity(detached));
        return detached;
      });
    },

    async managed(packageId) {
      const [pkg] = await rows<PackageRow>(pgPackageSql.packageById, [packageId]);
      if (!pkg) return undefined;
      const [hook] = await rows<HookRow>(pgPackageSql.hooksOf, [[packageId]]);
      if (!hook) return undefined;
      const connection = pkg.connectionId ? ((await rows<ConnectionRow>(sql.connectionById, [pkg.connectionId]))[0] ?? null) : null;
      return { pkg, hook, connection };
    },
    async changeHook(known, set, activity) {
      return inTransaction(pool, async (client) => {
        const current = (await client.query<HookRow>({ ...sql.hookForUpdate, values: [known.id] })).rows[0] ?? known;
        const values = set(current);
        const keys = Object.keys(values).filter((key) => values[key as keyof HookRow] !== undefined);
        if (keys.length) await client.query(sql.updateHook(keys), [known.id, ...keys.map((key) => values[key as keyof HookRow])]);
        return { hook: { ...current, ...values }, entry: activity ? await pgRecordActivity(client, activity) : null };
      });
    },
    async markChecked(hookId, at) {
      await pool.query({ ...sql.markChecked, values: [hookId, at] });
    },
    addPackage: (input, now) => pgAddPackage(pool, box, input, options.receiverBase(), now),
    async setPackageConnection(packageId, connectionId) {
      await pool.query({ ...sql.setPackageConnection, values: [packageId, connectionId] });
    },
    checkablePackageIds: async () => (await rows<{ id: string }>(sql.checkablePackages, [])).map((r) => r.id),
    packageIdsWithHooks: async () => (await rows<{ id: string }>(sql.packagesWithHooks, [])).map((r) => r.id),

    async deliveriesByProviderId(hookId, providerIds): Promise<DeliverySummary[]> {
      if (providerIds.length === 0) return [];
      return (await rows<SummaryRow>(sql.deliveriesByProviderId, [hookId, providerIds])).map(toDeliverySummary);
    },
    lastDeliveryId: async (hookId) => (await rows<{ id: number }>(sql.lastDeliveryId, [hookId]))[0]?.id ?? 0,
    async deliveryAfter(hookId, afterId, event) {
      const [row] = await rows<SummaryRow>(sql.deliveryAfter, [hookId, afterId, event]);
      return row ? toDeliverySummary(row) : undefined;
    },
    deliveryOutcome: async (id) => (await rows<DeliveryOutcome>(sql.deliveryOutcome, [id]))[0],
    releasedTags: (packageId) => rows<ReleasedTag>(sql.releasedTags, [packageId]),
    pendingTags: async (packageId) => (await rows<{ tag: string }>(sql.pendingTags, [packageId])).map((r) => r.tag),

    recordActivity: (entry) => pgRecordActivity(pool, entry),
    exclusive: pgProviderLock(pool),
  };
}
