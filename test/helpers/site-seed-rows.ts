import type { Site } from './engine-sites';
import { pgSeedActivity, pgSeedAttempts, pgSeedDeliveries, pgSeedReleases } from './pg-seed-rows';
import { seedActivity, seedAttempts, seedDeliveries, seedReleases } from './seed-rows';

type DeliveryRow = (i: number) => { event?: string; verdict?: string; packageId?: string };

/** The seed-rows writers for a site's store: its data dir's SQLite file, or its PostgreSQL database. Ids oldest first. */
export function seedRowsOn(place: Site['place']) {
  if ('dataDir' in place) {
    const dir = place.dataDir;
    return {
      deliveries: async (hookId: string, count: number, row?: DeliveryRow) => seedDeliveries(dir, hookId, count, row),
      activity: async (count: number, packageId?: string | null) => seedActivity(dir, count, packageId),
      attempts: async (endpointId: string, count: number) => seedAttempts(dir, endpointId, count),
      releases: async (packageId: string, count: number) => seedReleases(dir, packageId, count),
    };
  }
  const url = place.databaseUrl;
  return {
    deliveries: (hookId: string, count: number, row?: DeliveryRow) => pgSeedDeliveries(url, hookId, count, row),
    activity: (count: number, packageId?: string | null) => pgSeedActivity(url, count, packageId),
    attempts: (endpointId: string, count: number) => pgSeedAttempts(url, endpointId, count),
    releases: (packageId: string, count: number) => pgSeedReleases(url, packageId, count),
  };
}
