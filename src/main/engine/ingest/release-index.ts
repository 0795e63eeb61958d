import { and, eq, gte, lt, ne, sql } from 'drizzle-orm';
import semver from 'semver';
import type { Queryable } from '../db/open';
import { releases } from '../db/schema';
import type { CheckContext, PublishedVersion } from './checks';

const ph = (name: string) => sql.placeholder(name);

/**
 * What the release checks need to know about a package's other releases, without
 * reading all of them on every ingest: same-version lookups go to an index, and the
 * latest stable version is kept per package once it has been computed.
 */
export function createReleaseIndex(db: Queryable) {
  // The version itself, or with build metadata: '+' sorts just below ',' (and a prerelease's '-'
  // just above it), so both are the range [core, core+',').
  const sameVersion = db
    .select({ tag: releases.tag, version: releases.version })
    .from(releases)
    .where(
      and(
        eq(releases.packageId, ph('packageId')),
        gte(releases.version, ph('from')),
        lt(releases.version, ph('to')),
        eq(releases.status, 'published'),
        ne(releases.tag, ph('tag')),
      ),
    )
    .limit(1)
    .prepare();
  const stable = db
    .select({ tag: releases.tag, version: releases.version })
    .from(releases)
    .where(and(eq(releases.packageId, ph('packageId')), eq(releases.status, 'published'), eq(releases.prerelease, false)))
    .prepare();
  const latest = new Map<string, PublishedVersion | null>();

  function latestStable(packageId: string): PublishedVersion | null {
    if (!latest.has(packageId)) {
      const all = stable.all({ packageId });
      latest.set(packageId, all.sort((a, b) => semver.compare(b.version, a.version))[0] ?? null);
    }
    return latest.get(packageId) ?? null;
  }

  return {
    context(packageId: string, tag: string, version: string): CheckContext {
      const core = semver.parse(version)?.version ?? version;
      const same = sameVersion.get({ packageId, tag, from: core, to: `${core},` }) ?? null;
      const top = latestStable(packageId);
      return { tag, version, sameVersion: same, latestStable: top && top.tag !== tag ? top : null };
    },
    /** A release became published: it may be the new latest stable. */
    published(packageId: string, release: PublishedVersion): void {
      if (semver.prerelease(release.version) !== null || !latest.has(packageId)) return;
      const top = latest.get(packageId);
      if (!top || semver.gt(release.version, top.version)) latest.set(packageId, release);
    },
    /** Something was unpublished or a transaction rolled back: recompute on next use. */
    forget(packageId?: string): void {
      if (packageId === undefined) latest.clear();
      else latest.delete(packageId);
    },
  };
}

export type ReleaseIndex = ReturnType<typeof createReleaseIndex>;
