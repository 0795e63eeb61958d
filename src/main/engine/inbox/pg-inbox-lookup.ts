import type { Pool } from 'pg';
import type { EngineBus } from '../bus';
import { pgRowCache, reloads, type PgLookup } from '../db/pg/row-cache';
import { tableSql } from '../db/pg/table-sql';
import { deliveries, inboxes } from '../db/schema';
import { storedAnswer } from './answer-rules';
import type { ReceiverInbox } from './lookup';

const i = tableSql(inboxes);
const d = tableSql(deliveries);

type InboxRow = Omit<ReceiverInbox, 'answer' | 'arrivalsSoFar'> & { answer: string | null };

// The fields inboxLookup (lookup.ts) reads, under the same names.
const select = `SELECT ${i.selectList(['id', 'name', 'dialect', 'secretSealed', 'toleranceSeconds', 'previousSecretSealed', 'previousSecretExpiresAt', 'answer'])} FROM ${i.name}`;
// One event's captures in one inbox, and the same for many at once: the terms the deliveries_inbox_event index answers.
const oneEvent = `${d.column('hookId')} = $1 AND ${d.column('packageId')} IS NULL AND ${d.column('providerDeliveryId')} = $2`;
const statements = {
  all: { name: 'hb_lookup_inboxes', text: select },
  one: { name: 'hb_lookup_inbox', text: `${select} WHERE ${i.column('id')} = $1` },
  arrivals: { name: 'hb_lookup_arrivals', text: `SELECT count(*)::int AS n FROM ${d.name} WHERE ${oneEvent}` },
  manyArrivals: {
    name: 'hb_lookup_arrivals_many',
    text:
      `SELECT t.inbox AS "inboxId", t.event AS "eventId", (SELECT count(*)::int FROM ${d.name} WHERE ${oneEvent.replace('$1', 't.inbox').replace('$2', 't.event')}) AS n ` +
      'FROM unnest($1::text[], $2::text[]) AS t(inbox, event)',
  },
};

/** An arrival count kept between reads: what the database said, plus what this instance saw since. */
interface Tally {
  inboxId: string;
  eventId: string;
  stored: number;
  since: number;
  seenAt: number;
}

/** Events not arriving again for this long are no longer kept in step. */
const FORGET_AFTER_MS = 10 * 60_000;

/** An inbox as the receiver gets it; countArrivals is arrivalsSoFar exactly, read from PostgreSQL now. */
export type PgReceiverInbox = ReceiverInbox & { countArrivals: (eventId: string) => Promise<number> };

/**
 * inboxLookup's PostgreSQL form, for a team server's receiver: inboxes kept in memory (see
 * PgLookup for when they are read, and the miss path). No push event announces an inbox change,
 * so a new inbox is found by the miss path at once, and by every instance within a second.
 *
 * "Fail the first N" asks how many captures of an event the inbox holds, synchronously:
 * arrivalsSoFar answers from the count read at the last refresh plus the arrivals this instance
 * asked about since (the receiver asks once per capture it stores). An event first seen here is
 * counted from this instance's arrivals until the next refresh (within a second) reads what the
 * other instances stored. A receiver that can wait uses countArrivals, which is exact.
 */
export function pgInboxLookup(pool: Pool, options: { bus?: EngineBus; everyMs?: number } = {}): PgLookup<PgReceiverInbox> {
  const tallies = new Map<string, Tally>();
  const countArrivals = async (inboxId: string, eventId: string) => (await pool.query<{ n: number }>({ ...statements.arrivals, values: [inboxId, eventId] })).rows[0]?.n ?? 0;

  function arrivalsSoFar(inboxId: string, eventId: string): number {
    const key = `${inboxId}\u0000${eventId}`;
    const tally = tallies.get(key) ?? { inboxId, eventId, stored: 0, since: 0, seenAt: 0 };
    tallies.set(key, tally);
    const sofar = tally.stored + tally.since;
    tally.since++;
    tally.seenAt = Date.now();
    return sofar;
  }

  async function rereadArrivals(): Promise<void> {
    for (const [key, tally] of tallies) if (Date.now() - tally.seenAt > FORGET_AFTER_MS) tallies.delete(key);
    if (tallies.size === 0) return;
    const kept = [...tallies.values()];
    const sinceAtRead = kept.map((tally) => tally.since);
    const rows = (await pool.query<{ inboxId: string; eventId: string; n: number }>({ ...statements.manyArrivals, values: [kept.map((t) => t.inboxId), kept.map((t) => t.eventId)] })).rows;
    const counted = new Map(rows.map((row) => [`${row.inboxId}\u0000${row.eventId}`, row.n]));
    kept.forEach((tally, index) => {
      tally.stored = counted.get(`${tally.inboxId}\u0000${tally.eventId}`) ?? tally.stored;
      // What was asked about after the read began is not in its count yet.
      tally.since -= sinceAtRead[index]!;
    });
  }

  return pgRowCache<InboxRow, PgReceiverInbox>({
    pool,
    all: statements.all,
    one: statements.one,
    idOf: (row) => row.id,
    toValue: (row) => ({
      ...row,
      answer: storedAnswer(row.answer),
      arrivalsSoFar: (eventId) => arrivalsSoFar(row.id, eventId),
      countArrivals: (eventId) => countArrivals(row.id, eventId),
    }),
    bus: options.bus,
    changedBy: (event) => reloads(event, 'all'),
    everyMs: options.everyMs,
    afterRefresh: rereadArrivals,
  });
}
