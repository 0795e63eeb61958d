import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { attempts, endpoints, messages } from '../db/schema';

const ph = (name: string) => sql.placeholder(name);
/** `set()` takes SQL, not bare placeholders. */
const set = (name: string) => sql`${sql.placeholder(name)}`;

/** The dispatcher's per-attempt writes, prepared once: query building would cost more than SQLite. */
export function prepareDispatchStatements(db: Queryable) {
  return {
    claim: db
      .update(messages)
      .set({ state: 'sending', updatedAt: set('at') })
      .where(and(eq(messages.id, ph('id')), eq(messages.state, 'pending')))
      .returning()
      .prepare(),
    insertAttempt: db
      .insert(attempts)
      .values({
        messageRowId: ph('messageRowId'),
        endpointId: ph('endpointId'),
        attemptNo: ph('attemptNo'),
        trigger: ph('trigger'),
        startedAt: ph('startedAt'),
        url: ph('url'),
        requestHeaders: ph('requestHeaders'),
        status: ph('status'),
        responseHeaders: ph('responseHeaders'),
        responseBody: ph('responseBody'),
        responseTruncated: ph('responseTruncated'),
        durationMs: ph('durationMs'),
        error: ph('error'),
        succeeded: ph('succeeded'),
      })
      .returning()
      .prepare(),
    countFailure: db
      .update(endpoints)
      .set({ consecutiveFailures: sql`CASE WHEN ${sql.placeholder('ok')} = 1 THEN 0 ELSE ${endpoints.consecutiveFailures} + 1 END` })
      .where(eq(endpoints.id, ph('id')))
      .prepare(),
    disable: db
      .update(endpoints)
      .set({ active: false, disabledReason: set('reason'), updatedAt: set('at') })
      .where(and(eq(endpoints.id, ph('id')), eq(endpoints.active, true)))
      .prepare(),
    settle: db
      .update(messages)
      .set({ state: set('state'), attemptCount: set('attemptNo'), nextAttemptAt: set('next'), lastStatus: set('status'), lastError: set('error'), updatedAt: set('at') })
      .where(eq(messages.id, ph('id')))
      .returning()
      .prepare(),
  };
}
