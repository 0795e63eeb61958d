import { deliveries, packages, releaseChecks, releases } from '../db/schema';
import { pgNames } from '../db/pg/transaction';

const d = pgNames(deliveries);
const p = pgNames(packages);
const r = pgNames(releases);
const c = pgNames(releaseChecks);

/** Advisory locks taken per package while ingesting for it: the first key says they are ingest's. */
export const PACKAGE_LOCK_SPACE = 0x68_6b_69_6e; // "hkin"

const releaseColumns = ['packageId', 'tag', 'version', 'prerelease', 'commitSha', 'status', 'deliveryId', 'createdAt', 'updatedAt'];
const placeholders = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

/** Ingest's SQL for PostgreSQL, each statement named so every pooled connection prepares it once. */
export const pgIngestSql = {
  /** Pending deliveries in arrival order; ones another instance is ingesting are skipped, not waited for. */
  claimPending: {
    name: 'hb_ingest_claim',
    text: `SELECT ${d.selectList()} FROM ${d.name} WHERE ${d.column('outcome')} = 'pending' ORDER BY ${d.column('id')} LIMIT $1 FOR UPDATE SKIP LOCKED`,
  },
  packageById: { name: 'hb_ingest_package', text: `SELECT ${p.selectList()} FROM ${p.name} WHERE ${p.column('id')} = $1` },
  releaseByTag: { name: 'hb_ingest_release_by_tag', text: `SELECT ${r.selectList()} FROM ${r.name} WHERE ${r.column('packageId')} = $1 AND ${r.column('tag')} = $2` },
  releaseById: { name: 'hb_ingest_release_by_id', text: `SELECT ${r.selectList()} FROM ${r.name} WHERE ${r.column('id')} = $1` },
  checksOf: {
    name: 'hb_ingest_checks_of',
    text: `SELECT ${c.column('rule')} AS rule, ${c.column('severity')} AS severity, ${c.column('passed')} AS passed, ${c.column('detail')} AS detail FROM ${c.name} WHERE ${c.column('releaseId')} = $1 ORDER BY ${c.column('id')}`,
  },
  /**
   * Ingest for one package runs in one transaction at a time, across instances, so the checks
   * (same version already published, lower than the latest stable) see every release before it.
   */
  lockPackage: { name: 'hb_ingest_lock_package', text: `SELECT pg_advisory_xact_lock(${PACKAGE_LOCK_SPACE}, hashtext($1))` },
  publishedOf: {
    name: 'hb_ingest_published',
    text: `SELECT ${r.column('tag')} AS tag, ${r.column('version')} AS version FROM ${r.name} WHERE ${r.column('packageId')} = $1 AND ${r.column('status')} = 'published'`,
  },
  markTagDeleted: { name: 'hb_ingest_tag_deleted', text: `UPDATE ${r.name} SET ${r.column('status')} = 'tag_deleted', ${r.column('updatedAt')} = $2 WHERE ${r.column('id')} = $1` },
  recreateRelease: {
    name: 'hb_ingest_recreate',
    text: `UPDATE ${r.name} SET ${r.column('commitSha')} = $2, ${r.column('deliveryId')} = $3, ${r.column('status')} = $4, ${r.column('updatedAt')} = $5 WHERE ${r.column('id')} = $1`,
  },
  clearChecks: { name: 'hb_ingest_clear_checks', text: `DELETE FROM ${c.name} WHERE ${c.column('releaseId')} = $1` },
  /** One release per (package, tag), by the table's unique constraint: a second instance's insert makes nothing. */
  insertRelease: {
    name: 'hb_ingest_insert_release',
    text: `INSERT INTO ${r.name} (${releaseColumns.map(r.column).join(', ')}) VALUES (${placeholders(releaseColumns.length)}) ON CONFLICT (${r.column('packageId')}, ${r.column('tag')}) DO NOTHING RETURNING ${r.selectList()}`,
  },
  insertChecks: {
    name: 'hb_ingest_insert_checks',
    text: `INSERT INTO ${c.name} (${['releaseId', 'rule', 'severity', 'passed', 'detail'].map(c.column).join(', ')}) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::text[])`,
  },
  settleDelivery: {
    name: 'hb_ingest_settle',
    text: `UPDATE ${d.name} SET ${d.column('outcome')} = $2, ${d.column('outcomeReason')} = $3, ${d.column('releaseId')} = $4 WHERE ${d.column('id')} = $1`,
  },
};
