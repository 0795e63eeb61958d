import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import { maskHeaders, maskUrl } from '../../../shared/secret-headers';
import type { AttemptView, MessageView } from '../../../shared/types';
import { parseHeaders } from '../secrets/header-seal';
import type { Queryable } from '../db/open';
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
 * Sends a message again as a new attempt with the same message id, so the receiver can tell
 * it is a repeat. Its attempts keep counting (the resend is attempt N+1, sent by hand) while
 * the retry schedule starts over from it.
 */
/** A resend: pending again, its next attempt marked manual, the retry schedule counted from here. */
const newRun = (attemptCount: number | SQL) => ({ state: 'pending' as const, runFrom: attemptCount, manualNext: true });

export function resendMessage(db: Queryable, rowId: number, now = Date.now()): MessageView {
  const row = db.select().from(messages).where(eq(messages.id, rowId)).get();
  if (!row) throw new ApiError('not_found', `No outbound message with id ${rowId}.`);
  if (row.state === 'sending') throw new ApiError('conflict', `Message ${rowId} is being sent right now.`);
  const updated = db
    .update(messages)
    .set({ ...newRun(row.attemptCount), nextAttemptAt: now, updatedAt: now, source: row.source === 'event' ? 'redelivery' : row.source })
    .where(eq(messages.id, rowId))
    .returning()
    .get();
  return toMessageView(updated);
}

export function resendFailedSince(db: Queryable, endpointId: string, since: number, now = Date.now()): number {
  const failed = db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.endpointId, endpointId), eq(messages.state, 'failed'), gte(messages.createdAt, since)))
    .all()
    .map((r) => r.id);
  if (failed.length === 0) return 0;
  db.update(messages)
    .set({ ...newRun(sql`${messages.attemptCount}`), nextAttemptAt: now, updatedAt: now })
    .where(inArray(messages.id, failed))
    .run();
  return failed.length;
}
