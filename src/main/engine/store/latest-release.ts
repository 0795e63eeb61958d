import { and, eq } from 'drizzle-orm';
import semver from 'semver';
import type { LatestRelease } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { releases } from '../db/schema';

/** The higher of two versions, build metadata ignored (checks already refuse a second 1.2.3+build). */
const higher = (a: LatestRelease | undefined, b: LatestRelease) => (!a || semver.gt(b.version, a.version) ? b : a);

/**
 * Each package's latest release as a buyer means it: the highest published stable version,
 * not the newest tag (a 1.3.1 patch pushed after 2.1.0 is not the latest). A package that has
 * only prereleases gets its highest prerelease, marked as one.
 */
export function latestReleases(db: Queryable, packageId?: string): Map<string, LatestRelease> {
  const rows = db
    .select({ packageId: releases.packageId, tag: releases.tag, version: releases.version })
    .from(releases)
    .where(and(eq(releases.status, 'published'), packageId === undefined ? undefined : eq(releases.packageId, packageId)))
    .all();
  const stable = new Map<string, LatestRelease>();
  const pre = new Map<string, LatestRelease>();
  for (const row of rows) {
    const version = semver.valid(row.version);
    if (!version) continue;
    const candidate: LatestRelease = { tag: row.tag, version, prerelease: semver.prerelease(version) !== null };
    const into = candidate.prerelease ? pre : stable;
    into.set(row.packageId, higher(into.get(row.packageId), candidate));
  }
  for (const [id, release] of pre) if (!stable.has(id)) stable.set(id, release);
  return stable;
}
