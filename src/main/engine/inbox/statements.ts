/**
 * The SQL of programmed answers, the retry timeline and secret rotation. Arrivals of one
 * event are read through the deliveries_inbox_event index (hook id, event id, row id), which
 * holds inbox captures only, so none of these walks the deliveries table.
 */
import { and, count, desc, eq, isNotNull, isNull, min, sql, type Placeholder } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { deliveries, inboxes } from '../db/schema';
import { preparedOn } from '../db/prepared';
import type { ArrivalRow } from './inbox-decisions';

/** One event's captures in one inbox: the terms the deliveries_inbox_event index answers. */
const inboxEvent = (hookId: string | Placeholder, eventId: string | Placeholder) => and(eq(deliveries.hookId, hookId), isNull(deliveries.packageId), eq(deliveries.providerDeliveryId, eventId));

const arrivalCountQuery = (db: Queryable) =>
  db
    .select({ n: count() })
    .from(deliveries)
    .where(inboxEvent(sql.placeholder('hookId'), sql.placeholder('eventId')));
const arrivalCount = preparedOn((db) => arrivalCountQuery(db).prepare());

/** How many captures of this event the inbox already holds (the receiver asks on every request). */
export function arrivalsSoFar(db: Queryable, hookId: string, eventId: string): number {
  return arrivalCount(db).get({ hookId, eventId })?.n ?? 0;
}

const arrivalColumns = { id: deliveries.id, eventId: sql<string>`${deliveries.providerDeliveryId}`, receivedAt: deliveries.receivedAt, statusCode: deliveries.statusCode, verdict: deliveries.verdict };

// Grouped on the event index, so only this inbox's entries are read (ordering by row id alone
// would walk every inbox's captures newest first through deliveries_package_time).
const latestEventsQuery = (db: Queryable, hookId: string, limit: number) =>
  db
    .select({ eventId: sql<string>`${deliveries.providerDeliveryId}`, first: min(deliveries.id) })
    .from(deliveries)
    .where(and(eq(deliveries.hookId, hookId), isNull(deliveries.packageId), isNotNull(deliveries.providerDeliveryId)))
    .groupBy(deliveries.providerDeliveryId)
    .orderBy(desc(min(deliveries.id)))
    .limit(limit);

/** The latest `limit` events of an inbox (by their first arrival), newest first. */
export function latestEvents(db: Queryable, hookId: string, limit: number): string[] {
  return latestEventsQuery(db, hookId, limit)
    .all()
    .map((row) => row.eventId);
}

const arrivalsQuery = (db: Queryable, hookId: string, eventId: string) => db.select(arrivalColumns).from(deliveries).where(inboxEvent(hookId, eventId)).orderBy(deliveries.id);

/** Every arrival of one event, in order. */
export function arrivalsOf(db: Queryable, hookId: string, eventId: string): ArrivalRow[] {
  return arrivalsQuery(db, hookId, eventId).all();
}

/** The SQL of each query above, so their plans can be checked against the indexes. */
export const inboxEventQueries = (db: Queryable) => [arrivalCountQuery(db), latestEventsQuery(db, 'in_x', 100), arrivalsQuery(db, 'in_x', 'evt_x')].map((q) => q.toSQL());

/** Stores the programmed answer (JSON), or null for 2xx at once. */
export function storeAnswer(db: Queryable, id: string, answer: string | null): void {
  db.update(inboxes).set({ answer }).where(eq(inboxes.id, id)).run();
}

/** A new sealed secret; the one it replaces (or null) verifies until `until`. */
export function storeSecrets(db: Queryable, id: string, sealed: string, previousSealed: string | null, until: number | null): void {
  db.update(inboxes).set({ secretSealed: sealed, previousSecretSealed: previousSealed, previousSecretExpiresAt: until }).where(eq(inboxes.id, id)).run();
}
