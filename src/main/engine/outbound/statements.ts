import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { attempts, endpoints, messages } from '../db/schema';

const ph = (name: string) => sql.placeholder(name);
/** `set()` takes SQL, not bare placeholders. */
const set = (name: string) => sql`${sql.placeholder(name)}`;

/** The dispatcher's per-attempt reads and writes, prepared once: query building would cost more than SQLite. */
export function prepareDispatchStatements(db: Queryable) {
  return {
    activeEndpoints: db.select().from(endpoints).where(eq(endpoints.active, true)).prepare(),
    /** Claims one endpoint's due messages, oldest first, as many as it has free slots, in one statement. */
    claimDue: db
      .update(messages)
      .set({ state: 'sending', updatedAt: set('at') })
      .where(
        inArray(
          messages.id,
          db
            .select({ id: messages.id })
            .from(messages)
            .where(and(eq(messages.endpointId, ph('endpointId')), eq(messages.state, 'pending'), lte(messages.nextAttemptAt, ph('at'))))
            .orderBy(asc(messages.nextAttemptAt), asc(messages.id))
            .limit(ph('limit')),
        ),
      )
      .returning()
      .prepare(),
    nextDue: db
      .select({ at: min(messages.nextAttemptAt) })
      .from(messages)
      .innerJoin(endpoints, eq(endpoints.id, messages.endpointId))
      .where(and(eq(messages.state, 'pending'), eq(endpoints.active, true)))
      .prepare(),
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
      .returning({ id: attempts.id })
      .prepare(),
    // A success only writes when it ends a run of failures: most attempts leave the endpoint row alone.
    countFailure: db
      .update(endpoints)
      .set({ consecutiveFailures: sql`CASE WHEN ${sql.placeholder('ok')} = 1 THEN 0 ELSE ${endpoints.consecutiveFailures} + 1 END` })
      .where(and(eq(endpoints.id, ph('id')), sql`(${sql.placeholder('ok')} = 0 OR ${endpoints.consecutiveFailures} <> 0)`))
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
      .prepare(),
  };
}
