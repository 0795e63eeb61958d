import { and, eq, sql } from 'drizzle-orm';
import semver, { type SemVer } from 'semver';
import type { LatestRelease } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { releases } from '../db/schema';

interface Known {
  /** What the package's published releases were when `latest` was worked out. */
  key: string;
  latest: LatestRelease | null;
}

/** Per database: the UI lists packages after every release, so only a package whose published set changed is read again. */
const cache = new WeakMap<Queryable, Map<string, Known>>();

/** Highest published stable version, else highest prerelease; versions parsed once each. */
export function latestOf(rows: { tag: string; version: string }[]): LatestRelease | null {
  let stable: [SemVer, string] | null = null;
  let pre: [SemVer, string] | null = null;
  for (const { tag, version } of rows) {
    const v = semver.parse(version);
    if (!v) continue;
    // Build metadata plays no part (checks already refuse a second 1.2.3+build).
    if (v.prerelease.length === 0) {
      if (!stable || v.compare(stable[0]) > 0) stable = [v, tag];
    } else if (!pre || v.compare(pre[0]) > 0) pre = [v, tag];
  }
  const best = stable ?? pre;
  return best ? { tag: best[1], version: best[0].version, prerelease: best === pre } : null;
}

/**
 * Each package's latest release as a buyer means it: the highest published stable version,
 * not the newest tag (a 1.3.1 patch pushed after 2.1.0 is not the latest). A package that has
 * only prereleases gets its highest prerelease, marked as one.
 */
export function latestReleases(db: Queryable, packageId?: string): Map<string, LatestRelease> {
  const known = cache.get(db) ?? new Map<string, Known>();
  cache.set(db, known);
  const published = and(eq(releases.status, 'published'), packageId === undefined ? undefined : eq(releases.packageId, packageId));
  const keys = db
    .select({ packageId: releases.packageId, key: sql<string>`count(*) || ':' || total(${releases.id}) || ':' || max(${releases.updatedAt})` })
    .from(releases)
    .where(published)
    .groupBy(releases.packageId)
    .all();
  const result = new Map<string, LatestRelease>();
  for (const { packageId: id, key } of keys) {
    let entry = known.get(id);
    if (entry?.key !== key) {
      const rows = db.select({ tag: releases.tag, version: releases.version }).from(releases).where(and(eq(releases.status, 'published'), eq(releases.packageId, id))).all();
      entry = { key, latest: latestOf(rows) };
      known.set(id, entry);
    }
    if (entry.latest) result.set(id, entry.latest);
  }
  return result;
}
