import { getTableColumns } from 'drizzle-orm';
import { tableSql } from '../db/pg/table-sql';
import { deliveries, inboxForwardTargets, inboxes } from '../db/schema';

const i = tableSql(inboxes);
const d = tableSql(deliveries);
const f = tableSql(inboxForwardTargets);

const inboxKeys = Object.keys(getTableColumns(inboxes));

// Each inbox with its capture count and latest capture, read through the deliveries' hook index.
const withStats =
  `SELECT ${i.selectList()}, ` +
  `(SELECT count(*)::int FROM ${d.name} WHERE ${d.column('hookId')} = ${i.name}.${i.column('id')}) AS "captures", ` +
  `(SELECT max(${d.column('receivedAt')}) FROM ${d.name} WHERE ${d.column('hookId')} = ${i.name}.${i.column('id')}) AS "lastCaptureAt" ` +
  `FROM ${i.name}`;

// One event's captures in one inbox: the terms the deliveries_inbox_event index answers.
const inboxEvents = `${d.column('hookId')} = $1 AND ${d.column('packageId')} IS NULL`;

/** Inboxes' SQL for PostgreSQL, each statement named so every pooled connection prepares it once. */
export const pgInboxSql = {
  inboxKeys,
  insert: { name: 'hb_inbox_insert', text: i.insert(inboxKeys) },
  /** Oldest first, as the SQLite store lists them (same-millisecond ones by id). */
  allWithStats: { name: 'hb_inbox_all', text: `${withStats} ORDER BY ${i.column('createdAt')}, ${i.column('id')}` },
  oneWithStats: { name: 'hb_inbox_one', text: `${withStats} WHERE ${i.column('id')} = $1` },
  exists: { name: 'hb_inbox_exists', text: `SELECT 1 FROM ${i.name} WHERE ${i.column('id')} = $1` },
  /** Held until the change commits, so two rotations at once do not both keep the same previous secret. */
  forUpdate: { name: 'hb_inbox_for_update', text: `SELECT ${i.selectList()} FROM ${i.name} WHERE ${i.column('id')} = $1 FOR UPDATE` },
  /** $2/$4 say whether the name ($3) and the tolerance ($5) are given. */
  update: {
    name: 'hb_inbox_update',
    text:
      `UPDATE ${i.name} SET ${i.column('name')} = CASE WHEN $2::boolean THEN $3::text ELSE ${i.column('name')} END, ` +
      `${i.column('toleranceSeconds')} = CASE WHEN $4::boolean THEN $5::bigint ELSE ${i.column('toleranceSeconds')} END ` +
      `WHERE ${i.column('id')} = $1 RETURNING ${i.column('id')}`,
  },
  storeAnswer: { name: 'hb_inbox_answer', text: `UPDATE ${i.name} SET ${i.column('answer')} = $2 WHERE ${i.column('id')} = $1 RETURNING ${i.column('id')}` },
  storeSecrets: {
    name: 'hb_inbox_secrets',
    text: `UPDATE ${i.name} SET ${i.column('secretSealed')} = $2, ${i.column('previousSecretSealed')} = $3, ${i.column('previousSecretExpiresAt')} = $4 WHERE ${i.column('id')} = $1`,
  },
  /** Its forward targets go with it (the table's cascade); its captures are removed after, in slices. */
  remove: { name: 'hb_inbox_remove', text: `DELETE FROM ${i.name} WHERE ${i.column('id')} = $1 RETURNING ${i.column('id')}` },
  /** Up to $2 of the inbox's captures; says how many went. */
  removeCaptures: {
    name: 'hb_inbox_remove_captures',
    text:
      `WITH gone AS (DELETE FROM ${d.name} WHERE ${d.column('id')} IN ` +
      `(SELECT ${d.column('id')} FROM ${d.name} WHERE ${d.column('hookId')} = $1 LIMIT $2) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  },
  /** Every forward target of the inboxes given, oldest first. */
  forwardTargets: {
    name: 'hb_inbox_forward_targets',
    text: `SELECT ${f.selectList()} FROM ${f.name} WHERE ${f.column('inboxId')} = ANY($1::text[]) ORDER BY ${f.column('createdAt')}`,
  },
  /** The latest $2 events of an inbox by their first arrival, newest first (grouped on the event index, as on SQLite). */
  latestEvents: {
    name: 'hb_inbox_latest_events',
    text:
      `SELECT ${d.column('providerDeliveryId')} AS "eventId" FROM ${d.name} WHERE ${inboxEvents} AND ${d.column('providerDeliveryId')} IS NOT NULL ` +
      `GROUP BY ${d.column('providerDeliveryId')} ORDER BY min(${d.column('id')}) DESC LIMIT $2`,
  },
  /** Every arrival of the events given, in order. */
  arrivals: {
    name: 'hb_inbox_arrivals',
    text:
      `SELECT ${d.column('id')} AS id, ${d.column('providerDeliveryId')} AS "eventId", ${d.selectList(['receivedAt', 'statusCode', 'verdict'])} ` +
      `FROM ${d.name} WHERE ${inboxEvents} AND ${d.column('providerDeliveryId')} = ANY($2::text[]) ORDER BY ${d.column('id')}`,
  },
};
