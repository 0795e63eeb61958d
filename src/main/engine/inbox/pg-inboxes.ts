import type { Pool } from 'pg';
import type { InboxAnswer, InboxForwardTarget, InboxTimelineEntry } from '../../../shared/inbox-types';
import type { InboxCreated, InboxSummary } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import type { SecretBox } from '../secrets/secret-box';
import { answerForStorage, answerFromParams, type AnswerParams } from './answer-rules';
import { toForwardTarget } from './forward/targets';
import {
  inboxChanges,
  inboxCreated,
  newInboxRow,
  noInbox,
  rotatedInboxSecrets,
  timelineOf,
  toInboxSummary,
  type ArrivalRow,
  type CaptureStats,
  type InboxInput,
  type InboxPatch,
  type InboxRow,
  type RotateOptions,
} from './inbox-decisions';
import { pgInboxSql as sql } from './pg-inbox-statements';

/**
 * Inboxes on a team server's PostgreSQL database: the SQLite store's add, list, update, answer,
 * rotation, removal and timeline (inboxes.ts, answers.ts, rotate.ts, timeline.ts), with the
 * same decisions (inbox-decisions.ts) and the same results. `base` is where hook URLs are built.
 */

/** Captures removed per slice when an inbox goes (as on SQLite). */
const REMOVE_CHUNK = 500;

type TargetRow = Parameters<typeof toForwardTarget>[0];

export async function pgAddInbox(pool: Pool, box: SecretBox, input: InboxInput, base: string, now: number): Promise<InboxCreated> {
  const { row, secret } = newInboxRow(input, box, now);
  await pool.query({ ...sql.insert, values: sql.inboxKeys.map((key) => row[key as keyof InboxRow]) });
  return inboxCreated(row.id, base, secret);
}

async function forwardTargetsOf(pool: Pool, ids: string[]): Promise<Map<string, InboxForwardTarget[]>> {
  const byInbox = new Map<string, InboxForwardTarget[]>();
  if (ids.length === 0) return byInbox;
  const rows = (await pool.query<TargetRow>({ ...sql.forwardTargets, values: [ids] })).rows;
  for (const row of rows) {
    const list = byInbox.get(row.inboxId) ?? [];
    list.push(toForwardTarget(row));
    byInbox.set(row.inboxId, list);
  }
  return byInbox;
}

async function summaries(pool: Pool, rows: (InboxRow & CaptureStats)[], base: string, now: number): Promise<InboxSummary[]> {
  const forwards = await forwardTargetsOf(
    pool,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toInboxSummary(row, row, forwards.get(row.id) ?? [], base, now));
}

export async function pgListInboxes(pool: Pool, base: string, now: number): Promise<InboxSummary[]> {
  return summaries(pool, (await pool.query<InboxRow & CaptureStats>(sql.allWithStats)).rows, base, now);
}

export async function pgGetInbox(pool: Pool, id: string, base: string, now: number): Promise<InboxSummary> {
  const rows = (await pool.query<InboxRow & CaptureStats>({ ...sql.oneWithStats, values: [id] })).rows;
  if (rows.length === 0) throw noInbox(id);
  return (await summaries(pool, rows, base, now))[0]!;
}

export async function pgHasInbox(pool: Pool, id: string): Promise<boolean> {
  return (await pool.query({ ...sql.exists, values: [id] })).rows.length > 0;
}

async function requireInbox(pool: Pool, id: string): Promise<void> {
  if (!(await pgHasInbox(pool, id))) throw noInbox(id);
}

/** Renames it, or changes its timestamp tolerance (null: the dialect's own). */
export async function pgUpdateInbox(pool: Pool, id: string, patch: InboxPatch, base: string, now: number): Promise<InboxSummary> {
  const set = inboxChanges(patch);
  const values = [id, 'name' in set, set.name ?? null, 'toleranceSeconds' in set, set.toleranceSeconds ?? null];
  if ((await pool.query({ ...sql.update, values })).rows.length === 0) throw noInbox(id);
  return pgGetInbox(pool, id, base, now);
}

/** Sets what the inbox answers; each instance's receiver reads it within a second. */
export async function pgRespondInbox(pool: Pool, id: string, params: AnswerParams): Promise<InboxAnswer> {
  // An inbox that is not there is said before anything about the answer, as on SQLite.
  await requireInbox(pool, id);
  const answer = answerFromParams(params);
  if ((await pool.query({ ...sql.storeAnswer, values: [id, answerForStorage(answer)] })).rows.length === 0) throw noInbox(id);
  return answer;
}

export async function pgRotateInboxSecret(pool: Pool, box: SecretBox, id: string, options: RotateOptions, base: string, now: number): Promise<InboxCreated> {
  const secret = await inTransaction(pool, async (client) => {
    const row = (await client.query<InboxRow>({ ...sql.forUpdate, values: [id] })).rows[0];
    if (!row) throw noInbox(id);
    const rotated = rotatedInboxSecrets(row, box, options, now);
    await client.query({ ...sql.storeSecrets, values: [id, rotated.sealed, rotated.previousSealed, rotated.until] });
    return rotated.secret;
  });
  return inboxCreated(id, base, secret);
}

/** Removes the inbox (its forward targets with it), then its captures a slice at a time; says how many went. */
export async function pgRemoveInbox(pool: Pool, id: string): Promise<{ removed: true; captures: number }> {
  if ((await pool.query({ ...sql.remove, values: [id] })).rows.length === 0) throw noInbox(id);
  let captures = 0;
  for (;;) {
    const gone = (await pool.query<{ n: number }>({ ...sql.removeCaptures, values: [id, REMOVE_CHUNK] })).rows[0]?.n ?? 0;
    captures += gone;
    if (gone < REMOVE_CHUNK) return { removed: true, captures };
  }
}

/** One event, or the latest `limit` events, oldest first (see inboxTimeline). */
export async function pgInboxTimeline(pool: Pool, id: string, options: { eventId?: string | undefined; limit: number }): Promise<InboxTimelineEntry[]> {
  await requireInbox(pool, id);
  const events =
    options.eventId !== undefined ? [options.eventId] : (await pool.query<{ eventId: string }>({ ...sql.latestEvents, values: [id, options.limit] })).rows.map((row) => row.eventId).reverse();
  if (events.length === 0) return [];
  const arrivals = new Map<string, ArrivalRow[]>();
  for (const row of (await pool.query<ArrivalRow>({ ...sql.arrivals, values: [id, events] })).rows) {
    const list = arrivals.get(row.eventId) ?? [];
    list.push(row);
    arrivals.set(row.eventId, list);
  }
  return timelineOf(events, (eventId) => arrivals.get(eventId) ?? []);
}
