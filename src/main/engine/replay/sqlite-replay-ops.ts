import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/open';
import { deliveries, endpoints, hooks, packages, releases } from '../db/schema';
import { inboxLookup } from '../inbox/lookup';
import type { ReceiverHook } from '../store/packages';
import type { ReplayOps } from './replay-ops';
import { sqliteCapturedOps } from './sqlite-captured-ops';

/** A replay's store operations on a SQLite data dir, answered at once; hooks through the receiver's own lookup. */
export function sqliteReplayOps(db: Db, lookupHook: (hookId: string) => ReceiverHook | undefined): ReplayOps {
  return {
    ...sqliteCapturedOps(db),
    hookById: lookupHook,
    hookIdOfPackage: (packageId) => db.select({ id: hooks.id }).from(hooks).where(eq(hooks.packageId, packageId)).get()?.id,
    inboxById: (inboxId) => inboxLookup(db)(inboxId),
    packageName: (packageId) => db.select({ name: packages.name }).from(packages).where(eq(packages.id, packageId)).get()?.name,
    firstDeliveryId: (hookId, providerDeliveryId) =>
      db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(eq(deliveries.hookId, hookId), eq(deliveries.providerDeliveryId, providerDeliveryId), isNull(deliveries.duplicateOf), ne(deliveries.outcome, 'rejected')))
        .get()?.id,
    activeEndpointEvents: () =>
      db
        .select({ events: endpoints.events })
        .from(endpoints)
        .where(eq(endpoints.active, true))
        .all()
        .map((e) => e.events),
    activeRelays: (packageId) =>
      db
        .select({ id: endpoints.id })
        .from(endpoints)
        .where(and(eq(endpoints.active, true), eq(endpoints.relayPackageId, packageId)))
        .all().length,
    releaseByTag: (packageId, tag) =>
      db
        .select({ id: releases.id, status: releases.status, version: releases.version })
        .from(releases)
        .where(and(eq(releases.packageId, packageId), eq(releases.tag, tag)))
        .get(),
    publishedReleases: (packageId) =>
      db
        .select({ tag: releases.tag, version: releases.version })
        .from(releases)
        .where(and(eq(releases.packageId, packageId), eq(releases.status, 'published')))
        .all(),
  };
}
