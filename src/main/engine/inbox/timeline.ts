import type { InboxTimelineEntry } from '../../../shared/inbox-types';
import type { Db } from '../db/open';
import { timelineOf } from './inbox-decisions';
import { getInboxRow } from './inboxes';
import { arrivalsOf, latestEvents } from './statements';

/**
 * Every arrival of each event with the gap since its first and the status Hookbench answered:
 * how a sender's retry schedule is observed. One event, or the latest `limit` events, oldest first.
 */
export function inboxTimeline(db: Db, id: string, options: { eventId?: string | undefined; limit: number }): InboxTimelineEntry[] {
  getInboxRow(db, id);
  const events = options.eventId !== undefined ? [options.eventId] : latestEvents(db, id, options.limit).reverse();
  return timelineOf(events, (eventId) => arrivalsOf(db, id, eventId));
}
