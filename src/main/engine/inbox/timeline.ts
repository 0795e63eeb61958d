import type { InboxTimelineEntry } from '../../../shared/inbox-types';
import type { Db } from '../db/open';
import { getInboxRow } from './inboxes';
import { arrivalsOf, latestEvents, type ArrivalRow } from './statements';

function entry(eventId: string, rows: ArrivalRow[]): InboxTimelineEntry {
  const first = rows[0]?.receivedAt ?? 0;
  return {
    eventId,
    arrivals: rows.map((row) => ({
      deliveryId: row.id,
      receivedAt: row.receivedAt,
      sinceFirstMs: row.receivedAt - first,
      answeredStatus: row.statusCode,
      verdict: row.verdict,
    })),
  };
}

/**
 * Every arrival of each event with the gap since its first and the status Hookbench answered:
 * how a sender's retry schedule is observed. One event, or the latest `limit` events, oldest first.
 */
export function inboxTimeline(db: Db, id: string, options: { eventId?: string | undefined; limit: number }): InboxTimelineEntry[] {
  getInboxRow(db, id);
  const events = options.eventId !== undefined ? [options.eventId] : latestEvents(db, id, options.limit).reverse();
  return events.map((eventId) => entry(eventId, arrivalsOf(db, id, eventId))).filter((e) => e.arrivals.length > 0);
}
