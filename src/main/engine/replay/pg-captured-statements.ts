import { tableSql } from '../db/pg/table-sql';
import { attempts, deliveries, fixtures, inboxForwards, messages } from '../db/schema';

const d = tableSql(deliveries);
const a = tableSql(attempts);
const m = tableSql(messages);
const f = tableSql(fixtures);
const fw = tableSql(inboxForwards);

/** Every fixture column but its id, in the order insertFixture's values are given. */
export const FIXTURE_VALUES = ['name', 'origin', 'dialect', 'event', 'headers', 'body', 'contentType', 'createdAt', 'method', 'path'] as const;

/** Captured requests' and fixtures' SQL for PostgreSQL, named so every pooled connection prepares it once. */
export const pgCapturedSql = {
  deliveryById: { name: 'hb_captured_delivery', text: `SELECT ${d.selectList()} FROM ${d.name} WHERE ${d.column('id')} = $1` },
  attemptById: {
    name: 'hb_captured_attempt',
    text:
      `SELECT a.${a.column('requestHeaders')} AS "requestHeaders", a.${a.column('url')} AS url, m.${m.column('body')} AS body, m.${m.column('event')} AS event ` +
      `FROM ${a.name} a JOIN ${m.name} m ON m.${m.column('id')} = a.${a.column('messageRowId')} WHERE a.${a.column('id')} = $1`,
  },
  fixtureById: { name: 'hb_fixture_get', text: `SELECT ${f.selectList()} FROM ${f.name} WHERE ${f.column('id')} = $1` },
  allFixtures: { name: 'hb_fixture_list', text: `SELECT ${f.selectList()} FROM ${f.name} ORDER BY ${f.column('id')} DESC` },
  insertFixture: { name: 'hb_fixture_insert', text: `${f.insert(FIXTURE_VALUES)} RETURNING ${f.selectList()}` },
  deleteFixture: { name: 'hb_fixture_delete', text: `DELETE FROM ${f.name} WHERE ${f.column('id')} = $1` },
  forwardsOf: { name: 'hb_captured_forwards', text: `SELECT ${fw.selectList()} FROM ${fw.name} WHERE ${fw.column('deliveryId')} = $1 ORDER BY ${fw.column('id')}` },
};
