import { activity, attempts, endpoints, messages } from '../db/schema';
import { pgNames } from '../db/pg/transaction';

const m = pgNames(messages);
const e = pgNames(endpoints);
const a = pgNames(attempts);
const act = pgNames(activity);
const mc = m.column;
const ec = e.column;

/** Advisory locks taken per endpoint while claiming for it: the first key says they are the dispatcher's. */
export const ENDPOINT_LOCK_SPACE = 0x68_6b_64_70; // "hkdp"

/**
 * The dispatcher's SQL for PostgreSQL, each statement named so every pooled connection
 * prepares it once. Parameters are positional; rows come back in the schema's shape.
 */
export const pgDispatchSql = {
  activeEndpoints: {
    name: 'hb_dispatch_active_endpoints',
    text: `SELECT ${e.selectList()} FROM ${e.name} WHERE ${ec('active')} AND ($1::text IS NULL OR ${ec('id')} = $1) ORDER BY ${ec('id')}`,
  },
  /**
   * One transaction claims for an endpoint at a time, across every instance: a lock per
   * endpoint held until commit, taken in key order so two claiming transactions never wait on
   * each other in a circle.
   */
  lockEndpoints: {
    name: 'hb_dispatch_lock_endpoints',
    text: `SELECT pg_advisory_xact_lock(${ENDPOINT_LOCK_SPACE}, k) FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($1::text[]) AS id ORDER BY k) AS keys`,
  },
  /**
   * An endpoint's due messages, oldest due first, as many as it has free slots: $4 (its max in
   * flight, plus this process's claims already answered) less the claims whose lease still
   * runs, counted by this statement, which starts
   * after the endpoint's lock was taken and so sees every claim committed before it.
   * Rows another transaction holds (being settled, resent) are skipped, not waited for.
   */
  claimDue: {
    name: 'hb_dispatch_claim_due',
    text:
      `UPDATE ${m.name} AS m SET ${mc('state')} = 'sending', ${mc('updatedAt')} = $2, ${mc('claimedUntil')} = $3 FROM (` +
      `SELECT ${mc('id')} FROM ${m.name} WHERE ${mc('endpointId')} = $1 AND ${mc('state')} = 'pending' AND ${mc('nextAttemptAt')} <= $2 ` +
      `ORDER BY ${mc('nextAttemptAt')}, ${mc('id')} ` +
      `LIMIT GREATEST(0, $4::bigint - (SELECT count(*) FROM ${m.name} WHERE ${mc('state')} = 'sending' AND ${mc('claimedUntil')} > $2 AND ${mc('endpointId')} = $1)) ` +
      `FOR UPDATE SKIP LOCKED) AS picked WHERE m.${mc('id')} = picked.${mc('id')} RETURNING ${m.selectList('m')}`,
  },
  endpointOfMessage: {
    name: 'hb_dispatch_endpoint_of_message',
    text: `SELECT ${e.selectList()} FROM ${e.name} WHERE ${ec('id')} = (SELECT ${mc('endpointId')} FROM ${m.name} WHERE ${mc('id')} = $1)`,
  },
  claimOne: {
    name: 'hb_dispatch_claim_one',
    text: `UPDATE ${m.name} SET ${mc('state')} = 'sending', ${mc('updatedAt')} = $2, ${mc('claimedUntil')} = $3 WHERE ${mc('id')} = $1 AND ${mc('state')} = 'pending' RETURNING ${m.selectList()}`,
  },
  /** Claims whose lease ran out: the process sending them died (or hangs) mid-send. */
  reclaimExpired: {
    name: 'hb_dispatch_reclaim',
    text: `UPDATE ${m.name} SET ${mc('state')} = 'pending', ${mc('claimedUntil')} = NULL WHERE ${mc('state')} = 'sending' AND ${mc('claimedUntil')} <= $1`,
  },
  nextDue: {
    name: 'hb_dispatch_next_due',
    text: `SELECT min(m.${mc('nextAttemptAt')}) AS at FROM ${m.name} AS m JOIN ${e.name} AS e ON e.${ec('id')} = m.${mc('endpointId')} WHERE m.${mc('state')} = 'pending' AND e.${ec('active')}`,
  },
  /** Settles a batch of claimed messages; one whose claim was taken back (another lease end) is left alone. */
  settle: {
    name: 'hb_dispatch_settle',
    text:
      `UPDATE ${m.name} AS m SET ${mc('state')} = v.state, ${mc('attemptCount')} = v.attempt_count, ${mc('manualNext')} = false, ` +
      `${mc('nextAttemptAt')} = v.next_attempt_at, ${mc('lastStatus')} = v.last_status, ${mc('lastError')} = v.last_error, ${mc('updatedAt')} = v.updated_at ` +
      `FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::bigint[]) ` +
      `AS v(id, claimed_until, state, attempt_count, next_attempt_at, last_status, last_error, updated_at) ` +
      `WHERE m.${mc('id')} = v.id AND m.${mc('claimedUntil')} = v.claimed_until RETURNING m.${mc('id')} AS id`,
  },
  insertAttempts: {
    name: 'hb_dispatch_insert_attempts',
    text:
      `INSERT INTO ${a.name} (${['messageRowId', 'endpointId', 'attemptNo', 'trigger', 'startedAt', 'url', 'requestHeaders', 'status', 'responseHeaders', 'responseBody', 'responseTruncated', 'durationMs', 'error', 'succeeded'].map(a.column).join(', ')}) ` +
      `SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::bytea[], $11::boolean[], $12::bigint[], $13::text[], $14::boolean[]) ` +
      `RETURNING ${a.column('id')} AS id, ${a.column('messageRowId')} AS "messageRowId"`,
  },
  /** A batch's results for one endpoint: reset by a success, plus the failures after the last one. */
  countFailures: {
    name: 'hb_dispatch_count_failures',
    text:
      `UPDATE ${e.name} SET ${ec('consecutiveFailures')} = CASE WHEN $2 THEN 0 ELSE ${ec('consecutiveFailures')} END + $3 ` +
      `WHERE ${ec('id')} = $1 AND NOT ($2 AND $3 = 0 AND ${ec('consecutiveFailures')} = 0)`,
  },
  disable: {
    name: 'hb_dispatch_disable',
    text: `UPDATE ${e.name} SET ${ec('active')} = false, ${ec('disabledReason')} = $1, ${ec('updatedAt')} = $2 WHERE ${ec('id')} = $3 AND ${ec('active')}`,
  },
  insertActivity: {
    name: 'hb_dispatch_insert_activity',
    text: `INSERT INTO ${act.name} (${act.column('at')}, ${act.column('kind')}, ${act.column('message')}) VALUES ($1, $2, $3) RETURNING ${act.selectList()}`,
  },
};
