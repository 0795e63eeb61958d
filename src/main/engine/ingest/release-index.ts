import type Database from 'better-sqlite3';
import semver from 'semver';
import { rawTable } from '../db/raw-table';
import { releases } from '../db/schema';
import type { CheckContext, PublishedVersion } from './checks';

interface Published {
  /** Published releases by version without build metadata (1.2.3 and 1.2.3+build.5 are one version). */
  byVersion: Map<string, PublishedVersion[]>;
  latestStable: PublishedVersion | null;
}

const coreOf = (version: string) => semver.parse(version)?.version ?? version;
const isStable = (version: string) => semver.prerelease(version) === null;

/**
 * What the release checks need to know about a package's other releases, read once per
 * package and then kept up to date as ingest publishes, so a tag push costs no query.
 * Whatever else changes releases (a tag deletion, a rolled-back transaction, a commit by
 * another process) forgets what it held, which is read again on next use.
 */
export function createReleaseIndex(sqlite: Database.Database) {
  const releasesBy = rawTable(sqlite, releases).allBy(['packageId', 'status'], 'id');
  const packages = new Map<string, Published>();
  // Changes whenever another connection (the CLI beside a running serve) commits.
  const dataVersion = sqlite.prepare<[], number>('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();

  function add(entry: Published, release: PublishedVersion): void {
    const core = coreOf(release.version);
    const same = entry.byVersion.get(core);
    if (same) same.push(release);
    else entry.byVersion.set(core, [release]);
    if (isStable(release.version) && (!entry.latestStable || semver.gt(release.version, entry.latestStable.version))) entry.latestStable = release;
  }

  function published(packageId: string): Published {
    let entry = packages.get(packageId);
    if (!entry) {
      entry = { byVersion: new Map(), latestStable: null };
      for (const { tag, version } of releasesBy({ packageId, status: 'published' })) add(entry, { tag, version });
      packages.set(packageId, entry);
    }
    return entry;
  }

  return {
    /** Call at the start of each ingest transaction: what another process wrote since is read again. */
    sync(): void {
      const now = dataVersion.get();
      if (now !== seenVersion) packages.clear();
      seenVersion = now;
    },
    context(packageId: string, tag: string, version: string): CheckContext {
      const entry = published(packageId);
      const same = entry.byVersion.get(coreOf(version))?.find((r) => r.tag !== tag) ?? null;
      const top = entry.latestStable;
      return { tag, version, sameVersion: same, latestStable: top && top.tag !== tag ? top : null };
    },
    /** A release was published. */
    published(packageId: string, release: PublishedVersion): void {
      const entry = packages.get(packageId);
      if (entry) add(entry, release);
    },
    /** Something was unpublished or a transaction rolled back: read again on next use. */
    forget(packageId?: string): void {
      if (packageId === undefined) packages.clear();
      else packages.delete(packageId);
    },
  };
}

export type ReleaseIndex = ReturnType<typeof createReleaseIndex>;
