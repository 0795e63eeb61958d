import type { Pool, PoolClient } from 'pg';
import { pgHookLookupSql } from '../store/pg-hook-lookup';
import type { ReceiverHook } from '../store/packages';
import type { AsyncOps } from '../store/steps';
import { pgCapturedOps } from './pg-captured-ops';
import { pgReplaySql as sql } from './pg-replay-statements';
import type { InboxTarget, ReplayOps, TaggedRelease } from './replay-ops';

/** A replay preview's store operations on a team server's PostgreSQL database; hooks read as the receiver's lookup reads them. */
export function pgReplayOps(db: Pool | PoolClient): AsyncOps<ReplayOps> {
  const rows = async <T>(query: { name: string; text: string }, values: unknown[]) => (await db.query<T & object>({ ...query, values })).rows as T[];
  const one = async <T>(query: { name: string; text: string }, values: unknown[]) => (await rows<T>(query, values))[0];
  return {
    ...pgCapturedOps(db),
    hookById: (hookId) => one<ReceiverHook>(pgHookLookupSql.one, [hookId]),
    hookIdOfPackage: async (packageId) => (await one<{ id: string }>(sql.hookIdOfPackage, [packageId]))?.id,
    inboxById: (inboxId) => one<InboxTarget>(sql.inboxById, [inboxId]),
    packageName: async (packageId) => (await one<{ name: string }>(sql.packageName, [packageId]))?.name,
    firstDeliveryId: async (hookId, providerDeliveryId) => (await one<{ id: number }>(sql.firstDeliveryId, [hookId, providerDeliveryId]))?.id,
    activeEndpointEvents: async () => (await rows<{ events: string }>(sql.activeEndpointEvents, [])).map((e) => e.events),
    activeRelays: async (packageId) => (await one<{ n: number }>(sql.activeRelays, [packageId]))?.n ?? 0,
    releaseByTag: (packageId, tag) => one<TaggedRelease>(sql.releaseByTag, [packageId, tag]),
    publishedReleases: (packageId) => rows<{ tag: string; version: string }>(sql.publishedReleases, [packageId]),
  };
}
