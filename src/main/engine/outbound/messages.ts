import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import { maskHeaders, maskUrl } from '../../../shared/secret-headers';
import type { AttemptView, MessageView } from '../../../shared/types';
import { parseHeaders } from '../secrets/header-seal';
import type { Queryable } from '../db/open';
import { preparedOn } from '../db/prepared';
import { attempts, messages } from '../db/schema';
import { NO_ROW_ABOVE } from '../store/keyset';

export type MessageRow = typeof messages.$inferSelect;

export function toMessageView(row: MessageRow): MessageView {
  const { body: _b, contentType: _c, extraHeaders: _e, signed: _s, updatedAt: _u, claimedUntil: _l, runFrom: _r, manualNext: _m, ...rest } = row;
  return rest;
}

export function toAttemptView(row: typeof attempts.$inferSelect, messageId: string, event: string): AttemptView {
  return {
    ...row,
    messageId,
    event,
    url: maskUrl(row.url),
    requestHeaders: maskHeaders(parseHeaders(row.requestHeaders)),
    responseHeaders: row.responseHeaders ? maskHeaders(parseHeaders(row.responseHeaders)) : [],
    responseBody: row.responseBody ? row.responseBody.toString('utf8') : '',
  };
}

/** Newest first; beforeId reads on below a message already seen. */
export function listMessages(db: Queryable, endpointId: string, limit: number, beforeId = NO_ROW_ABOVE): MessageView[] {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.endpointId, endpointId), lt(messages.id, beforeId)))
    .orderBy(desc(messages.id))
    .limit(limit)
    .all()
    .map(toMessageView);
}

export function listAttempts(
  db: Queryable,
  filter: { endpointId?: string | undefined; messageRowId?: number | undefined; beforeId?: number | undefined; limit: number },
): AttemptView[] {
  const where = [lt(attempts.id, filter.beforeId ?? NO_ROW_ABOVE)];
  if (filter.endpointId) where.push(eq(attempts.endpointId, filter.endpointId));
  if (filter.messageRowId) where.push(eq(attempts.messageRowId, filter.messageRowId));
  return db
    .select({ attempt: attempts, messageId: messages.messageId, event: messages.event })
    .from(attempts)
    .innerJoin(messages, eq(messages.id, attempts.messageRowId))
    .where(and(...where))
    .orderBy(desc(attempts.id))
    .limit(filter.limit)
    .all()
    .map(({ attempt, messageId, event }) => toAttemptView(attempt, messageId, event));
}

/**
 * Sending a message again as a new attempt with the same message id, so the receiver can tell
 * it is a repeat: pending again and due now. Its attempts keep counting (the resend is attempt
 * N+1, marked manual) while the retry schedule starts over from it. A single resend of an
 * event's message marks it a redelivery.
 */
export type ResendRun = Pick<MessageRow, 'id' | 'state' | 'runFrom' | 'manualNext' | 'nextAttemptAt' | 'updatedAt' | 'source'>;

export function resendRun(row: Pick<MessageRow, 'id' | 'attemptCount' | 'source'>, now: number, redelivery: boolean): ResendRun {
  const source = redelivery && row.source === 'event' ? 'redelivery' : row.source;
  return { id: row.id, state: 'pending', runFrom: row.attemptCount, manualNext: true, nextAttemptAt: now, updatedAt: now, source };
}

export function checkResendable(row: MessageRow | undefined, rowId: number): MessageRow {
  if (!row) throw new ApiError('not_found', `No outbound message with id ${rowId}.`);
  if (row.state === 'sending') throw new ApiError('conflict', `Message ${rowId} is being sent right now.`);
  return row;
}

const ph = (name: string) => sql.placeholder(name);
/** A value given when the prepared statement runs, passed to SQLite as it is. */
const value = (name: string) => sql`${ph(name)}`;

const messageById = preparedOn((db) => db.select().from(messages).where(eq(messages.id, ph('id'))).prepare());
export const findMessageRow = (db: Queryable, rowId: number): MessageRow | undefined => messageById(db).get({ id: rowId });

const failedSinceQuery = preparedOn((db) =>
  db
    .select({ id: messages.id, attemptCount: messages.attemptCount, source: messages.source })
    .from(messages)
    .where(and(eq(messages.endpointId, ph('endpointId')), eq(messages.state, 'failed'), gte(messages.createdAt, ph('since'))))
    .orderBy(messages.id)
    .prepare(),
);
export const failedSince = (db: Queryable, endpointId: string, since: number) => failedSinceQuery(db).all({ endpointId, since });

const resendOne = preparedOn((db) =>
  db
    .update(messages)
    .set({ state: value('state'), runFrom: value('runFrom'), manualNext: value('manualNext'), nextAttemptAt: value('nextAttemptAt'), updatedAt: value('updatedAt'), source: value('source') })
    .where(eq(messages.id, ph('id')))
    .prepare(),
);

/** Writes resends; call inside a transaction. */
export function writeResends(db: Queryable, runs: ResendRun[]): void {
  const statement = resendOne(db);
  for (const run of runs) statement.run({ ...run, manualNext: run.manualNext ? 1 : 0 });
}
