import { getTableColumns } from 'drizzle-orm';
import { tableSql } from '../db/pg/table-sql';
import { connections, deliveries, hooks, packages, releases } from '../db/schema';

const c = tableSql(connections);
const p = tableSql(packages);
const h = tableSql(hooks);
const d = tableSql(deliveries);
const r = tableSql(releases);

const connectionKeys = Object.keys(getTableColumns(connections));
const hookKeys = new Set(Object.keys(getTableColumns(hooks)));
// A delivery as lists show it: everything but the request itself.
const summaryList = d.selectList(Object.keys(getTableColumns(deliveries)).filter((key) => key !== 'body' && key !== 'headers'));
/** Packages with a hook, oldest first (as the SQLite store reads them, in the order they were added). */
const withHook = `FROM ${p.name} p JOIN ${h.name} hk ON hk.${h.column('packageId')} = p.${p.column('id')}`;
const oldestFirst = `ORDER BY p.${p.column('createdAt')}, p.${p.column('id')}`;

/** Provider work's SQL for PostgreSQL, each statement named so every pooled connection prepares it once. */
export const pgProviderSql = {
  connectionKeys,
  insertConnection: { name: 'hb_conn_insert', text: c.insert(connectionKeys) },
  connectionById: { name: 'hb_conn_by_id', text: `SELECT ${c.selectList()} FROM ${c.name} WHERE ${c.column('id')} = $1` },
  /** Newest first, each with the number of packages it manages. */
  connectionsWithUse: {
    name: 'hb_conn_list',
    text:
      `SELECT ${c.selectList()}, (SELECT count(*)::int FROM ${p.name} p WHERE p.${p.column('connectionId')} = ${c.name}.${c.column('id')}) AS "packagesUsing" ` +
      `FROM ${c.name} ORDER BY ${c.column('createdAt')} DESC`,
  },
  /** Held until the removal commits: a second removal at once waits, then finds it gone. */
  lockConnection: { name: 'hb_conn_lock', text: `SELECT ${c.column('id')} FROM ${c.name} WHERE ${c.column('id')} = $1 FOR UPDATE` },
  packagesOfConnection: {
    name: 'hb_conn_packages',
    text: `SELECT ${p.column('id')} AS id FROM ${p.name} WHERE ${p.column('connectionId')} = $1 ORDER BY ${p.column('createdAt')}, ${p.column('id')}`,
  },
  detachPackages: { name: 'hb_conn_detach', text: `UPDATE ${p.name} SET ${p.column('connectionId')} = NULL WHERE ${p.column('connectionId')} = $1` },
  deleteConnection: { name: 'hb_conn_delete', text: `DELETE FROM ${c.name} WHERE ${c.column('id')} = $1` },
  setPackageConnection: { name: 'hb_conn_attach', text: `UPDATE ${p.name} SET ${p.column('connectionId')} = $2 WHERE ${p.column('id')} = $1` },

  /** Held until the change commits: a ping verifying the hook meanwhile waits for it, then reads it changed. */
  hookForUpdate: { name: 'hb_conn_hook_for_update', text: `SELECT ${h.selectList()} FROM ${h.name} WHERE ${h.column('id')} = $1 FOR UPDATE` },
  /** `SET` for the hook columns being changed, by key; values follow the hook id ($1). */
  updateHook(keys: string[]): string {
    for (const key of keys) if (!hookKeys.has(key)) throw new Error(`hooks has no column ${key}`);
    return `UPDATE ${h.name} SET ${keys.map((key, i) => `${h.column(key)} = $${i + 2}`).join(', ')} WHERE ${h.column('id')} = $1`;
  },
  markChecked: { name: 'hb_conn_hook_checked', text: `UPDATE ${h.name} SET ${h.column('upstreamCheckedAt')} = $2 WHERE ${h.column('id')} = $1` },
  checkablePackages: {
    name: 'hb_conn_checkable',
    text:
      `SELECT p.${p.column('id')} AS id ${withHook} WHERE p.${p.column('connectionId')} IS NOT NULL ` +
      `AND hk.${h.column('providerHookId')} IS NOT NULL AND hk.${h.column('rotationStep')} IS NULL ${oldestFirst}`,
  },
  packagesWithHooks: { name: 'hb_conn_with_hooks', text: `SELECT p.${p.column('id')} AS id ${withHook} ${oldestFirst}` },

  deliveriesByProviderId: {
    name: 'hb_conn_copies',
    text: `SELECT ${summaryList} FROM ${d.name} WHERE ${d.column('hookId')} = $1 AND ${d.column('providerDeliveryId')} = ANY($2::text[]) ORDER BY ${d.column('id')}`,
  },
  lastDeliveryId: { name: 'hb_conn_last_delivery', text: `SELECT ${d.column('id')} AS id FROM ${d.name} WHERE ${d.column('hookId')} = $1 ORDER BY ${d.column('id')} DESC LIMIT 1` },
  deliveryAfter: {
    name: 'hb_conn_delivery_after',
    text:
      `SELECT ${summaryList} FROM ${d.name} WHERE ${d.column('hookId')} = $1 AND ${d.column('id')} > $2 AND ${d.column('event')} = $3 ` +
      `ORDER BY ${d.column('id')} LIMIT 1`,
  },
  deliveryOutcome: { name: 'hb_conn_delivery_outcome', text: `SELECT ${d.selectList(['id', 'outcome', 'outcomeReason', 'releaseId'])} FROM ${d.name} WHERE ${d.column('id')} = $1` },
  releasedTags: { name: 'hb_conn_released_tags', text: `SELECT ${r.selectList(['tag', 'status', 'updatedAt'])} FROM ${r.name} WHERE ${r.column('packageId')} = $1` },
  pendingTags: {
    name: 'hb_conn_pending_tags',
    text: `SELECT ${d.column('tag')} AS tag FROM ${d.name} WHERE ${d.column('packageId')} = $1 AND ${d.column('outcome')} = 'pending' AND ${d.column('tag')} IS NOT NULL`,
  },
};
