import type Database from 'better-sqlite3';
import { rawTable } from '../../db/raw-table';
import { deliveries, inboxForwards, inboxForwardTargets } from '../../db/schema';

export type ForwardRow = typeof inboxForwards.$inferSelect;
export type ForwardTargetRow = typeof inboxForwardTargets.$inferSelect;

/** What the forwarder needs of the capture itself. */
export interface CapturedRequest {
  method: string | null;
  path: string | null;
  headers: string;
  body: Buffer;
}

/** A forward's state after an attempt. */
export interface Settled {
  state: ForwardRow['state'];
  attempts: number;
  nextAttemptAt: number | null;
  status: number | null;
  responseHeaders: string | null;
  responseBody: Buffer | null;
  durationMs: number | null;
  error: string | null;
  updatedAt: number;
}

/**
 * Forwards' reads and writes, compiled once on the bare connection (see raw-table.ts). The
 * claim is the lease: a row moves to 'sending' with an end time in one statement, so two
 * processes never send the same row; a claim that outlives its end (its process died) is
 * taken back.
 */
export function prepareForwardStatements(sqlite: Database.Database) {
  const rows = rawTable(sqlite, inboxForwards);
  const targets = rawTable(sqlite, inboxForwardTargets);
  const f = rows.column;
  const d = rawTable(sqlite, deliveries).column;
  const claimDue = rows.returningAll(
    `UPDATE ${rows.name} SET ${f('state')} = 'sending', ${f('claimedUntil')} = ?, ${f('updatedAt')} = ? WHERE ${f('id')} IN (` +
      `SELECT ${f('id')} FROM ${rows.name} WHERE ${f('state')} = 'pending' AND ${f('nextAttemptAt')} <= ? AND ${f('targetUrl')} = ? ` +
      `ORDER BY ${f('nextAttemptAt')}, ${f('id')} LIMIT ?)`,
  );
  const claimOne = rows.returningAll(`UPDATE ${rows.name} SET ${f('state')} = 'sending', ${f('claimedUntil')} = ?, ${f('updatedAt')} = ? WHERE ${f('id')} = ? AND ${f('state')} = 'pending'`);
  const dueTargets = sqlite.prepare<[number], string>(`SELECT DISTINCT ${f('targetUrl')} FROM ${rows.name} WHERE ${f('state')} = 'pending' AND ${f('nextAttemptAt')} <= ?`).pluck();
  const nextDue = sqlite.prepare<[], number | null>(`SELECT min(${f('nextAttemptAt')}) FROM ${rows.name} WHERE ${f('state')} = 'pending'`).pluck();
  const reclaim = sqlite.prepare<[number]>(`UPDATE ${rows.name} SET ${f('state')} = 'pending', ${f('claimedUntil')} = NULL WHERE ${f('state')} = 'sending' AND ${f('claimedUntil')} <= ?`);
  const anyExpired = sqlite.prepare<[number], number>(`SELECT 1 FROM ${rows.name} WHERE ${f('state')} = 'sending' AND ${f('claimedUntil')} <= ? LIMIT 1`).pluck();
  const release = sqlite.prepare<[number]>(`UPDATE ${rows.name} SET ${f('state')} = 'pending', ${f('claimedUntil')} = NULL WHERE ${f('id')} = ? AND ${f('state')} = 'sending'`);
  const captured = sqlite.prepare<[number], CapturedRequest>(
    `SELECT ${d('method')} AS method, ${d('path')} AS path, ${d('headers')} AS headers, ${d('body')} AS body FROM deliveries WHERE ${d('id')} = ?`,
  );
  const answeredWith = sqlite.prepare<[number, number]>(`UPDATE deliveries SET ${d('statusCode')} = ? WHERE ${d('id')} = ?`);
  const passBackRow = sqlite.prepare<[number], number>(`SELECT ${f('id')} FROM ${rows.name} WHERE ${f('deliveryId')} = ? AND ${f('passBack')} = 1 LIMIT 1`).pluck();
  const settle = sqlite.prepare<[ForwardRow['state'], number, number | null, number | null, string | null, Buffer | null, number | null, string | null, number, number]>(
    `UPDATE ${rows.name} SET ${f('state')} = ?, ${f('attempts')} = ?, ${f('nextAttemptAt')} = ?, ${f('claimedUntil')} = NULL, ${f('status')} = ?, ` +
      `${f('responseHeaders')} = ?, ${f('responseBody')} = ?, ${f('durationMs')} = ?, ${f('error')} = ?, ${f('updatedAt')} = ? WHERE ${f('id')} = ? AND ${f('state')} = 'sending'`,
  );
  return {
    /** An inbox's targets, oldest first: read for every capture, inside its commit. */
    targetsOf: targets.allBy(['inboxId'], 'createdAt'),
    target: targets.findBy(['inboxId', 'url']),
    queue: rows.append(['deliveryId', 'inboxId', 'targetUrl', 'passBack', 'state', 'attempts', 'nextAttemptAt', 'createdAt', 'updatedAt']),
    /** Target URLs with forwards due now. */
    dueTargets: (at: number) => dueTargets.all(at),
    /** Claims up to `limit` due forwards to one target, oldest due first, until `until`. */
    claimDue: (targetUrl: string, at: number, until: number, limit: number) => claimDue(until, at, at, targetUrl, limit),
    /** Claims one forward; undefined when it is not pending (another process, or the worker, has it). */
    claimOne: (id: number, at: number, until: number): ForwardRow | undefined => claimOne(until, at, id)[0],
    /** Whether some claim ran out: read first, so an idle queue never takes the write lock. */
    anyExpired: (at: number) => anyExpired.get(at) !== undefined,
    reclaimExpired: (at: number) => reclaim.run(at).changes,
    /** Hands a claim back (a stopping process): sent again at the next start. */
    release: (id: number) => release.run(id).changes,
    nextDue: () => nextDue.get() ?? null,
    captured: (deliveryId: number) => captured.get(deliveryId),
    passBackRow: (deliveryId: number) => passBackRow.get(deliveryId),
    /** The capture keeps the status its sender was actually given (a pass-back target's). */
    answeredWith: (deliveryId: number, status: number) => answeredWith.run(status, deliveryId),
    /** Records an attempt on a row still claimed; 0 when the row is gone (its capture was deleted). */
    settle: (id: number, v: Settled): number => settle.run(v.state, v.attempts, v.nextAttemptAt, v.status, v.responseHeaders, v.responseBody, v.durationMs, v.error, v.updatedAt, id).changes,
    byDelivery: rows.allBy(['deliveryId'], 'id'),
    byId: rows.findBy(['id']),
  };
}

export type ForwardStatements = ReturnType<typeof prepareForwardStatements>;
