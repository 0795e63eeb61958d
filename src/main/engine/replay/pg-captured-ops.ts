import type { Pool, PoolClient } from 'pg';
import { pgRecordActivity } from '../store/pg-activity-statements';
import type { AsyncOps } from '../store/steps';
import type { AttemptRequest, CapturedOps, DeliveryRow, FixtureRow } from './captured-ops';
import type { ForwardRow } from '../inbox/forward/statements';
import { FIXTURE_VALUES, pgCapturedSql as sql } from './pg-captured-statements';

/**
 * An id no row can have (beyond bigint; "delivery:99999999999999999999" parses to 1e20) is
 * looked up as nothing, as SQLite finds nothing for it, rather than refused by PostgreSQL.
 */
const storable = (id: number) => Number.isSafeInteger(id);

/** Captured requests' and fixtures' store operations on a team server's PostgreSQL database. */
export function pgCapturedOps(db: Pool | PoolClient): AsyncOps<CapturedOps> {
  const rows = async <T>(query: { name: string; text: string }, values: unknown[]) => (await db.query<T & object>({ ...query, values })).rows as T[];
  const one = async <T>(query: { name: string; text: string }, values: unknown[]) => (await rows<T>(query, values))[0];
  const byId = async <T>(query: { name: string; text: string }, id: number) => (storable(id) ? one<T>(query, [id]) : undefined);
  return {
    deliveryById: (id) => byId<DeliveryRow>(sql.deliveryById, id),
    attemptById: (id) => byId<AttemptRequest>(sql.attemptById, id),
    fixtureById: (id) => byId<FixtureRow>(sql.fixtureById, id),
    allFixtures: () => rows<FixtureRow>(sql.allFixtures, []),
    insertFixture: async (values) =>
      (await one<FixtureRow>(
        sql.insertFixture,
        FIXTURE_VALUES.map((key) => values[key]),
      ))!,
    deleteFixture: async (id) => storable(id) && ((await db.query({ ...sql.deleteFixture, values: [id] })).rowCount ?? 0) > 0,
    forwardsOf: (deliveryId) => rows<ForwardRow>(sql.forwardsOf, [deliveryId]),
    recordActivity: (values) => pgRecordActivity(db, values),
  };
}
