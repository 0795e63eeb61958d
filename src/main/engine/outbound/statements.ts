import { and, eq, min } from 'drizzle-orm';
import type { Db } from '../db/open';
import { rawTable } from '../db/raw-table';
import { attempts, endpoints, messages } from '../db/schema';

/**
 * The dispatcher's per-attempt reads and writes, compiled once on the bare connection
 * (see raw-table.ts): at thousands of attempts a second the query builder's per-call
 * parameter and row mapping cost more than SQLite's own work.
 */
export function prepareDispatchStatements(db: Db) {
  const sqlite = db.$client;
  const messageRows = rawTable(sqlite, messages);
  const endpointRows = rawTable(sqlite, endpoints);
  const m = messageRows.column;
  const e = endpointRows.column;
  const claimDue = messageRows.returningAll(
    `UPDATE ${messageRows.name} SET ${m('state')} = 'sending', ${m('updatedAt')} = ?, ${m('claimedUntil')} = ? WHERE ${m('id')} IN (` +
      `SELECT ${m('id')} FROM ${messageRows.name} WHERE ${m('endpointId')} = ? AND ${m('state')} = 'pending' AND ${m('nextAttemptAt')} <= ? ` +
      `ORDER BY ${m('nextAttemptAt')}, ${m('id')} LIMIT ?)`,
  );
  const claimOne = messageRows.returningAll(
    `UPDATE ${messageRows.name} SET ${m('state')} = 'sending', ${m('updatedAt')} = ?, ${m('claimedUntil')} = ? WHERE ${m('id')} = ? AND ${m('state')} = 'pending'`,
  );
  // Claims whose lease ran out: the process sending them died (or hangs) mid-send.
  const reclaim = sqlite.prepare<[at: number]>(
    `UPDATE ${messageRows.name} SET ${m('state')} = 'pending', ${m('claimedUntil')} = NULL WHERE ${m('state')} = 'sending' AND ${m('claimedUntil')} <= ?`,
  );
  // The endpoint's sends in flight, from every process: claims whose lease has not run out.
  const liveClaims = sqlite
    .prepare<[at: number, endpointId: string], number>(
      `SELECT count(*) FROM ${messageRows.name} INDEXED BY messages_claimed WHERE ${m('state')} = 'sending' AND ${m('claimedUntil')} > ? AND ${m('endpointId')} = ?`,
    )
    .pluck();
  const recoverAll = sqlite.prepare(`UPDATE ${messageRows.name} SET ${m('state')} = 'pending', ${m('claimedUntil')} = NULL WHERE ${m('state')} = 'sending'`);
  // A success only writes when it ends a run of failures: most attempts leave the endpoint row alone.
  const countFailure = sqlite.prepare<[ok: number, id: string, ok: number]>(
    `UPDATE ${endpointRows.name} SET ${e('consecutiveFailures')} = CASE WHEN ? = 1 THEN 0 ELSE ${e('consecutiveFailures')} + 1 END ` +
      `WHERE ${e('id')} = ? AND (? = 0 OR ${e('consecutiveFailures')} <> 0)`,
  );
  const disable = sqlite.prepare<[reason: string, at: number, id: string]>(
    `UPDATE ${endpointRows.name} SET ${e('active')} = 0, ${e('disabledReason')} = ?, ${e('updatedAt')} = ? WHERE ${e('id')} = ? AND ${e('active')} = 1`,
  );
  return {
    activeEndpoints: endpointRows.allBy(['active'], 'id'),
    /**
     * Claims one endpoint's due messages, oldest due first, as many as it has free slots, in one
     * statement; the claims last until `until`.
     */
    claimDue: (endpointId: string, at: number, until: number, limit: number) => claimDue(at, until, endpointId, at, limit),
    /** Marks one message as being sent until `until`; undefined when it is not pending (another process has it). */
    claim: (id: number, at: number, until: number) => claimOne(at, until, id)[0],
    /** Puts messages whose claim ran out back in the queue; returns how many. */
    reclaimExpired: (at: number) => reclaim.run(at).changes,
    /** Puts every claimed message back in the queue. */
    recoverAll: () => recoverAll.run().changes,
    /** How many of the endpoint's messages are claimed with a lease still running at `at`. */
    liveClaims: (endpointId: string, at: number) => liveClaims.get(at, endpointId)!,
    nextDue: db
      .select({ at: min(messages.nextAttemptAt) })
      .from(messages)
      .innerJoin(endpoints, eq(endpoints.id, messages.endpointId))
      .where(and(eq(messages.state, 'pending'), eq(endpoints.active, true)))
      .prepare(),
    insertAttempt: rawTable(sqlite, attempts).append([
      'messageRowId',
      'endpointId',
      'attemptNo',
      'trigger',
      'startedAt',
      'url',
      'requestHeaders',
      'status',
      'responseHeaders',
      'responseBody',
      'responseTruncated',
      'durationMs',
      'error',
      'succeeded',
    ]),
    countFailure: (id: string, ok: boolean) => countFailure.run(ok ? 1 : 0, id, ok ? 1 : 0),
    disable: (id: string, reason: string, at: number) => disable.run(reason, at, id),
    /** Settles a claimed message, unless its claim was taken back meanwhile (another claim has another lease end). */
    settle: messageRows.update(['state', 'attemptCount', 'manualNext', 'nextAttemptAt', 'lastStatus', 'lastError', 'updatedAt'], ['id', 'claimedUntil']),
  };
}

export type DispatchStatements = ReturnType<typeof prepareDispatchStatements>;
