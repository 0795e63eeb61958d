import { tableSql } from '../../db/pg/table-sql';
import { deliveries, inboxForwards, inboxForwardTargets } from '../../db/schema';

const f = tableSql(inboxForwards);
const t = tableSql(inboxForwardTargets);
const d = tableSql(deliveries);
const fc = f.column;

const SETTLED = ['state', 'attempts', 'nextAttemptAt', 'status', 'responseHeaders', 'responseBody', 'durationMs', 'error', 'updatedAt'] as const;

/**
 * The forwarder's SQL for PostgreSQL, each statement named so every pooled connection prepares
 * it once. A claim picks its rows FOR UPDATE SKIP LOCKED: rows another instance is claiming at
 * the same moment are skipped, not waited for, and a row it claimed just before is no longer
 * pending when read again; so two instances never claim one row.
 */
export const pgForwardSql = {
  settledKeys: SETTLED,
  nextDue: { name: 'hb_forward_next_due', text: `SELECT min(${fc('nextAttemptAt')}) AS at FROM ${f.name} WHERE ${fc('state')} = 'pending'` },
  dueTargets: { name: 'hb_forward_due_targets', text: `SELECT DISTINCT ${fc('targetUrl')} AS url FROM ${f.name} WHERE ${fc('state')} = 'pending' AND ${fc('nextAttemptAt')} <= $1` },
  /** Up to $4 due forwards to target $1, oldest due first, claimed as of $2 until $3. */
  claimDue: {
    name: 'hb_forward_claim_due',
    text:
      `UPDATE ${f.name} SET ${fc('state')} = 'sending', ${fc('claimedUntil')} = $3, ${fc('updatedAt')} = $2 WHERE ${fc('state')} = 'pending' AND ${fc('id')} IN (` +
      `SELECT ${fc('id')} FROM ${f.name} WHERE ${fc('state')} = 'pending' AND ${fc('nextAttemptAt')} <= $2 AND ${fc('targetUrl')} = $1 ` +
      `ORDER BY ${fc('nextAttemptAt')}, ${fc('id')} LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING ${f.selectList()}`,
  },
  claimOne: {
    name: 'hb_forward_claim_one',
    text: `UPDATE ${f.name} SET ${fc('state')} = 'sending', ${fc('claimedUntil')} = $3, ${fc('updatedAt')} = $2 WHERE ${fc('id')} = $1 AND ${fc('state')} = 'pending' RETURNING ${f.selectList()}`,
  },
  reclaimExpired: {
    name: 'hb_forward_reclaim',
    text: `UPDATE ${f.name} SET ${fc('state')} = 'pending', ${fc('claimedUntil')} = NULL WHERE ${fc('state')} = 'sending' AND ${fc('claimedUntil')} <= $1`,
  },
  release: {
    name: 'hb_forward_release',
    text: `UPDATE ${f.name} SET ${fc('state')} = 'pending', ${fc('claimedUntil')} = NULL WHERE ${fc('id')} = ANY($1::bigint[]) AND ${fc('state')} = 'sending'`,
  },
  target: { name: 'hb_forward_target', text: `SELECT ${t.selectList()} FROM ${t.name} WHERE ${t.column('inboxId')} = $1 AND ${t.column('url')} = $2` },
  captured: {
    name: 'hb_forward_captured',
    text: `SELECT ${d.selectList(['method', 'path', 'headers', 'body'])} FROM ${d.name} WHERE ${d.column('id')} = $1`,
  },
  passBackRow: { name: 'hb_forward_pass_back_row', text: `SELECT ${fc('id')} AS id FROM ${f.name} WHERE ${fc('deliveryId')} = $1 AND ${fc('passBack')} LIMIT 1` },
  byId: { name: 'hb_forward_by_id', text: `SELECT ${f.selectList()} FROM ${f.name} WHERE ${fc('id')} = $1` },
  answeredWith: { name: 'hb_forward_answered_with', text: `UPDATE ${d.name} SET ${d.column('statusCode')} = $2 WHERE ${d.column('id')} = $1` },
  /**
   * Records an attempt ($3…) on row $1 only while the claim it was sent under ($2) still holds:
   * a claim that ran out and was taken by another instance is that instance's to record.
   */
  settle: {
    name: 'hb_forward_settle',
    text:
      `UPDATE ${f.name} SET ${SETTLED.map((key, i) => `${fc(key)} = $${i + 3}`).join(', ')}, ${fc('claimedUntil')} = NULL ` +
      `WHERE ${fc('id')} = $1 AND ${fc('state')} = 'sending' AND ${fc('claimedUntil')} = $2 RETURNING ${f.selectList()}`,
  },
};
