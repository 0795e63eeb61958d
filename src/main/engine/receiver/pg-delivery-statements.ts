import type pg from 'pg';
import type { ActivityEntry } from '../../../shared/types';
import { getTableColumns, type Column } from 'drizzle-orm';
import { deliveries as pgDeliveries } from '../db/pg/schema';
import { activity, deliveries, endpoints, hooks, inboxForwards, inboxForwardTargets, packages } from '../db/schema';
import { tableSql } from '../db/pg/table-sql';
import type { ForwardRow, ForwardTargetRow } from '../inbox/forward/statements';
import { activityValues, type NewActivity } from '../store/activity';
import { toActivity } from '../store/rows';
import { FIELDS, type DeliveryRow } from './delivery-rows';
import type { HookVerified } from './hook-proof';

type ActivityRow = Parameters<typeof toActivity>[0];
type NewForward = Omit<ForwardRow, 'id' | 'claimedUntil' | 'status' | 'responseHeaders' | 'responseBody' | 'durationMs' | 'error'>;

const d = tableSql(deliveries);
const h = tableSql(hooks);
const a = tableSql(activity);
const t = tableSql(inboxForwardTargets);
const f = tableSql(inboxForwards);
const e = tableSql(endpoints);
const p = tableSql(packages);

/** Each written column's PostgreSQL type, for the arrays a whole batch is passed in. */
const pgColumns = getTableColumns(pgDeliveries) as Record<string, Column>;
const fieldTypes = FIELDS.map((key) => pgColumns[d.column(key).slice(1, -1)]!.getSQLType());
const fieldNames = FIELDS.map((key) => d.column(key)).join(', ');

/** A new row as the batch insert gives it back. */
export interface InsertedRow {
  id: number;
  hookId: string;
  providerDeliveryId: string | null;
  outcome: DeliveryRow['outcome'];
  duplicateOf: number | null;
}

/** A receiving address and a provider delivery id: what the unique index holds once. */
export interface DeliveryKey {
  hookId: string;
  providerDeliveryId: string;
}

const ACTIVITY_KEYS = ['at', 'kind', 'message', 'packageId', 'packageName', 'deliveryId', 'releaseId'] as const;
const FORWARD_KEYS = ['deliveryId', 'inboxId', 'targetUrl', 'passBack', 'state', 'attempts', 'nextAttemptAt', 'createdAt', 'updatedAt'] as const;

/**
 * The receiver's PostgreSQL statements, named so each connection parses them once. The first
 * copy of a provider delivery id is whichever insert the unique index deliveries_provider_id_unique
 * lets in: ON CONFLICT DO NOTHING waits for a transaction holding the same id and then skips,
 * so of two instances racing on one id exactly one stores the original.
 */
const SQL = {
  // The whole batch in one statement, in arrival order (so ids follow it); rows whose provider id is taken are skipped.
  insertBatch: {
    name: 'receiver_insert_batch',
    text:
      `INSERT INTO ${d.name} (${fieldNames}) SELECT ${fieldNames} FROM unnest(${fieldTypes.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) ` +
      `WITH ORDINALITY AS batch(${fieldNames}, ordinal) ORDER BY ordinal ON CONFLICT DO NOTHING ` +
      `RETURNING ${d.selectList(['id', 'hookId', 'providerDeliveryId', 'outcome', 'duplicateOf'])}`,
  },
  insertClaiming: { name: 'receiver_insert_claiming', text: `${d.insert(FIELDS)} ON CONFLICT DO NOTHING RETURNING ${d.column('id')}` },
  insert: { name: 'receiver_insert', text: `${d.insert(FIELDS)} RETURNING ${d.column('id')}` },
  firstDelivery: {
    name: 'receiver_first_delivery',
    text: `SELECT ${d.column('id')} FROM ${d.name} WHERE ${d.column('hookId')} = $1 AND ${d.column('providerDeliveryId')} = $2 AND ${d.column('duplicateOf')} IS NULL AND ${d.column('outcome')} <> 'rejected'`,
  },
  // One round trip for what the batch's plan asks: hooks still to be proved, packages relayed by an active endpoint,
  // and the first copies already stored of the batch's provider delivery ids.
  batchFacts: {
    name: 'receiver_batch_facts',
    text:
      `SELECT ARRAY(SELECT ${h.column('id')} FROM ${h.name} WHERE ${h.column('id')} = ANY($1::text[]) AND (${h.column('verifiedAt')} IS NULL OR ${h.column('status')} = 'unregistered')) AS hooks, ` +
      `ARRAY(SELECT DISTINCT ${e.column('relayPackageId')} FROM ${e.name} WHERE ${e.column('relayPackageId')} = ANY($2::text[]) AND ${e.column('active')}) AS packages, ` +
      `(SELECT coalesce(json_agg(json_build_array(${d.column('hookId')}, ${d.column('providerDeliveryId')}, ${d.column('id')})), '[]'::json) FROM ${d.name} ` +
      `WHERE (${d.column('hookId')}, ${d.column('providerDeliveryId')}) IN (SELECT * FROM unnest($3::text[], $4::text[])) ` +
      `AND ${d.column('duplicateOf')} IS NULL AND ${d.column('providerDeliveryId')} IS NOT NULL AND ${d.column('outcome')} <> 'rejected') AS firsts`,
  },
  markVerified: {
    name: 'receiver_mark_verified',
    text: `UPDATE ${h.name} SET ${h.column('status')} = 'active', ${h.column('statusReason')} = $1, ${h.column('verifiedAt')} = $2 WHERE ${h.column('id')} = $3`,
  },
  insertActivity: {
    name: 'receiver_insert_activity',
    // The package's name as it is now, kept with the entry (as store/activity.ts does).
    text:
      `INSERT INTO ${a.name} (${ACTIVITY_KEYS.map(a.column).join(', ')}) VALUES ($1, $2, $3, $4, ` +
      `coalesce($5, (SELECT ${p.column('name')} FROM ${p.name} WHERE ${p.column('id')} = $4)), $6, $7) RETURNING ${a.selectList()}`,
  },
  forwardTargets: { name: 'receiver_forward_targets', text: `SELECT ${t.selectList()} FROM ${t.name} WHERE ${t.column('inboxId')} = ANY($1::text[]) ORDER BY ${t.column('createdAt')}` },
  insertForward: { name: 'receiver_insert_forward', text: f.insert(FORWARD_KEYS) },
};

export function pgDeliveryStatements(client: pg.PoolClient) {
  const run = async <R extends pg.QueryResultRow>(statement: { name: string; text: string }, values: unknown[]) =>
    (await client.query<R>({ ...statement, values })).rows;
  const rowValues = (row: DeliveryRow) => FIELDS.map((key) => row[key]);
  return {
    /** Inserts the rows whose provider delivery id is free (and every row that takes none); returns those inserted, in order. */
    insertBatch: (rows: DeliveryRow[]) => run<InsertedRow>(SQL.insertBatch, FIELDS.map((key) => rows.map((row) => row[key]))),
    /** The row's id, or undefined when its provider delivery id is taken. */
    insertClaiming: async (row: DeliveryRow) => (await run<{ id: number }>(SQL.insertClaiming, rowValues(row)))[0]?.id,
    insert: async (row: DeliveryRow) => (await run<{ id: number }>(SQL.insert, rowValues(row)))[0]!.id,
    firstDelivery: async (hookId: string, providerDeliveryId: string) => (await run<{ id: number }>(SQL.firstDelivery, [hookId, providerDeliveryId]))[0]?.id,
    async batchFacts(hookIds: string[], packageIds: string[], keys: DeliveryKey[]) {
      const [row] = await run<{ hooks: string[]; packages: string[]; firsts: [string, string, number][] }>(SQL.batchFacts, [
        hookIds,
        packageIds,
        keys.map((key) => key.hookId),
        keys.map((key) => key.providerDeliveryId),
      ]);
      const firsts = row!.firsts.map(([hookId, providerDeliveryId, id]) => ({ hookId, providerDeliveryId, id }));
      return { hooks: new Set(row!.hooks), packages: new Set(row!.packages), firsts };
    },
    markVerified: async (v: HookVerified) => void (await run(SQL.markVerified, [v.reason, v.at, v.hookId])),
    async recordActivity(entry: NewActivity): Promise<ActivityEntry> {
      const values = activityValues(entry);
      return toActivity((await run<ActivityRow>(SQL.insertActivity, ACTIVITY_KEYS.map((key) => values[key])))[0]!);
    },
    async forwardTargets(inboxIds: string[]): Promise<Map<string, ForwardTargetRow[]>> {
      const byInbox = new Map<string, ForwardTargetRow[]>();
      if (inboxIds.length === 0) return byInbox;
      for (const target of await run<ForwardTargetRow>(SQL.forwardTargets, [inboxIds])) byInbox.set(target.inboxId, [...(byInbox.get(target.inboxId) ?? []), target]);
      return byInbox;
    },
    insertForward: async (row: NewForward) => void (await run(SQL.insertForward, FORWARD_KEYS.map((key) => row[key]))),
  };
}

export type PgDeliveryStatements = ReturnType<typeof pgDeliveryStatements>;
