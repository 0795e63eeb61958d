import { getTableColumns } from 'drizzle-orm';
import { tableSql } from '../db/pg/table-sql';
import { connections, hooks, packages, releaseChecks, releases, settings } from '../db/schema';

const p = tableSql(packages);
const h = tableSql(hooks);
const c = tableSql(connections);
const s = tableSql(settings);
const r = tableSql(releases);
const rc = tableSql(releaseChecks);

const packageKeys = Object.keys(getTableColumns(packages));
const hookKeys = Object.keys(getTableColumns(hooks));

/** Advisory locks taken while a package is added for a repository: the first key says they are package adds'. */
const REPOSITORY_LOCK_SPACE = 0x68_6b_70_6b; // "hkpk"

/** Packages' and releases' SQL for PostgreSQL, each statement named so every pooled connection prepares it once. */
export const pgPackageSql = {
  packageKeys,
  hookKeys,
  /** Newest first, as the SQLite store lists them. */
  allPackages: { name: 'hb_pkg_all', text: `SELECT ${p.selectList()} FROM ${p.name} ORDER BY ${p.column('createdAt')} DESC` },
  packageById: { name: 'hb_pkg_by_id', text: `SELECT ${p.selectList()} FROM ${p.name} WHERE ${p.column('id')} = $1` },
  /** Held until the removal commits: a second remove at once waits, then finds the package gone. */
  packageToRemove: { name: 'hb_pkg_to_remove', text: `SELECT ${p.selectList()} FROM ${p.name} WHERE ${p.column('id')} = $1 FOR UPDATE` },
  hooksOf: { name: 'hb_pkg_hooks_of', text: `SELECT ${h.selectList()} FROM ${h.name} WHERE ${h.column('packageId')} = ANY($1::text[])` },
  settings: { name: 'hb_pkg_settings', text: `SELECT ${s.column('key')} AS key, ${s.column('value')} AS value FROM ${s.name} WHERE ${s.column('key')} = ANY($1::text[])` },
  /** Every published version, of one package ($1) or of all (null). */
  publishedVersions: {
    name: 'hb_pkg_published',
    text: `SELECT ${r.selectList(['packageId', 'tag', 'version'])} FROM ${r.name} ` + `WHERE ${r.column('status')} = 'published' AND ($1::text IS NULL OR ${r.column('packageId')} = $1)`,
  },
  /**
   * Two instances adding the same repository at once: the second waits for the first to commit,
   * then sees its package and is refused, as one SQLite writer would be.
   */
  lockRepository: { name: 'hb_pkg_lock_repository', text: `SELECT pg_advisory_xact_lock(${REPOSITORY_LOCK_SPACE}, hashtext($1))` },
  sameRepository: {
    name: 'hb_pkg_same_repository',
    text:
      `SELECT p.${p.column('id')} AS id, p.${p.column('name')} AS name, p.${p.column('repoFullName')} AS repo, c.${c.column('baseUrl')} AS "baseUrl" ` +
      `FROM ${p.name} p LEFT JOIN ${c.name} c ON c.${c.column('id')} = p.${p.column('connectionId')} ` +
      `WHERE p.${p.column('provider')} = $1 AND p.${p.column('repoId')} = $2`,
  },
  connectionBaseUrl: { name: 'hb_pkg_connection_base', text: `SELECT ${c.column('baseUrl')} AS "baseUrl" FROM ${c.name} WHERE ${c.column('id')} = $1` },
  insertPackage: { name: 'hb_pkg_insert', text: p.insert(packageKeys) },
  insertHook: { name: 'hb_pkg_insert_hook', text: h.insert(hookKeys) },
  /** Its hook, releases and their checks go with it (the tables' cascades); deliveries and activity stay. */
  deletePackage: { name: 'hb_pkg_delete', text: `DELETE FROM ${p.name} WHERE ${p.column('id')} = $1` },
  hasPackage: { name: 'hb_pkg_exists', text: `SELECT 1 FROM ${p.name} WHERE ${p.column('id')} = $1` },
  /** Newest first below $2; $3 rows at most (null: all). */
  releasesBelow: {
    name: 'hb_pkg_releases_below',
    text: `SELECT ${r.selectList()} FROM ${r.name} WHERE ${r.column('packageId')} = $1 AND ${r.column('id')} < $2 ORDER BY ${r.column('id')} DESC LIMIT $3`,
  },
  checksOf: {
    name: 'hb_pkg_release_checks',
    text: `SELECT ${rc.selectList()} FROM ${rc.name} WHERE ${rc.column('releaseId')} = ANY($1::bigint[]) ORDER BY ${rc.column('id')}`,
  },
  countReleases: { name: 'hb_pkg_count_releases', text: `SELECT count(*)::int AS n FROM ${r.name} WHERE ${r.column('packageId')} = $1` },
};
