import { asc, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { attempts, deliveries, fixtures, inboxForwards, messages } from '../db/schema';
import { recordActivity } from '../store/activity';
import type { CapturedOps } from './captured-ops';

/** Captured requests' and fixtures' store operations on a SQLite data dir, answered at once. */
export function sqliteCapturedOps(db: Queryable): CapturedOps {
  return {
    deliveryById: (id) => db.select().from(deliveries).where(eq(deliveries.id, id)).get(),
    attemptById: (id) =>
      db
        .select({ requestHeaders: attempts.requestHeaders, url: attempts.url, body: messages.body, event: messages.event })
        .from(attempts)
        .innerJoin(messages, eq(messages.id, attempts.messageRowId))
        .where(eq(attempts.id, id))
        .get(),
    fixtureById: (id) => db.select().from(fixtures).where(eq(fixtures.id, id)).get(),
    allFixtures: () => db.select().from(fixtures).orderBy(desc(fixtures.id)).all(),
    insertFixture: (values) => db.insert(fixtures).values(values).returning().get(),
    deleteFixture: (id) => db.delete(fixtures).where(eq(fixtures.id, id)).run().changes > 0,
    forwardsOf: (deliveryId) => db.select().from(inboxForwards).where(eq(inboxForwards.deliveryId, deliveryId)).orderBy(asc(inboxForwards.id)).all(),
    recordActivity: (values) => recordActivity(db, values),
  };
}
