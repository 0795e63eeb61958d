import type { InboxForwardResult } from '../../../../shared/inbox-types';
import { maskHeaders } from '../../../../shared/secret-headers';
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/open';
import { inboxForwards } from '../../db/schema';
import type { ForwardRow } from './statements';

export function toForwardResult(row: ForwardRow): InboxForwardResult {
  return {
    url: row.targetUrl,
    // 'sending' is a moment of 'pending': the answer is not in yet.
    state: row.state === 'sending' ? 'pending' : row.state,
    attempts: row.attempts,
    status: row.status,
    headers: row.responseHeaders ? maskHeaders(JSON.parse(row.responseHeaders) as [string, string][]) : [],
    body: row.responseBody ? row.responseBody.toString('utf8') : '',
    durationMs: row.durationMs,
    error: row.error,
    nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt : null,
  };
}

/** Each target's forward of one capture, in the order the targets were queued. */
export function forwardResults(db: Queryable, deliveryId: number): InboxForwardResult[] {
  return db.select().from(inboxForwards).where(eq(inboxForwards.deliveryId, deliveryId)).orderBy(asc(inboxForwards.id)).all().map(toForwardResult);
}
