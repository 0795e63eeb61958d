import type { Pool, PoolClient } from 'pg';
import type { InboxForwardTarget } from '../../../../shared/inbox-types';
import { tableSql } from '../../db/pg/table-sql';
import { inTransaction } from '../../db/pg/transaction';
import { inboxes, inboxForwards, inboxForwardTargets } from '../../db/schema';
import { runOpsAsync, type AsyncOps } from '../../store/steps';
import { forwardSteps, type TargetOps } from './target-steps';
import type { TargetInput, TargetRow } from './targets';

const i = tableSql(inboxes);
const t = tableSql(inboxForwardTargets);
const f = tableSql(inboxForwards);
const TARGET_KEYS = ['inboxId', 'url', 'events', 'pathRewrite', 'passBack', 'retrySeconds', 'createdAt'] as const;
const SETTINGS = ['events', 'pathRewrite', 'passBack', 'retrySeconds'] as const;

/** Forward targets' SQL for PostgreSQL, each statement named so every pooled connection prepares it once. */
const sql = {
  /** Held until the change commits: two changes to one inbox's targets at once cannot both make a pass-back target. */
  lockInbox: { name: 'hb_forward_lock_inbox', text: `SELECT 1 FROM ${i.name} WHERE ${i.column('id')} = $1 FOR UPDATE` },
  targetsOf: { name: 'hb_forward_targets_of', text: `SELECT ${t.selectList()} FROM ${t.name} WHERE ${t.column('inboxId')} = $1 ORDER BY ${t.column('createdAt')}` },
  upsert: {
    name: 'hb_forward_target_upsert',
    text: `${t.insert(TARGET_KEYS)} ON CONFLICT (${t.column('inboxId')}, ${t.column('url')}) DO UPDATE SET ${SETTINGS.map((key) => `${t.column(key)} = excluded.${t.column(key)}`).join(', ')}`,
  },
  remove: { name: 'hb_forward_target_remove', text: `DELETE FROM ${t.name} WHERE ${t.column('inboxId')} = $1 AND ${t.column('url')} = $2` },
  giveUp: {
    name: 'hb_forward_give_up',
    text:
      `UPDATE ${f.name} SET ${f.column('state')} = 'failed', ${f.column('nextAttemptAt')} = NULL, ${f.column('error')} = $3, ${f.column('updatedAt')} = $4 ` +
      `WHERE ${f.column('inboxId')} = $1 AND ${f.column('targetUrl')} = $2 AND ${f.column('state')} = 'pending'`,
  },
};

/** Forward targets on a team server's database, on a transaction's connection. */
export function pgTargetOps(client: PoolClient): AsyncOps<TargetOps> {
  const run = async (query: { name: string; text: string }, values: unknown[]) => (await client.query({ ...query, values })).rows;
  return {
    inboxExists: async (inboxId) => (await run(sql.lockInbox, [inboxId])).length > 0,
    targetsOf: async (inboxId) => (await run(sql.targetsOf, [inboxId])) as TargetRow[],
    upsertTarget: async (row) =>
      void (await run(
        sql.upsert,
        TARGET_KEYS.map((key) => row[key]),
      )),
    deleteTarget: async (inboxId, url) => void (await run(sql.remove, [inboxId, url])),
    giveUpPending: async (inboxId, url, error, at) => void (await run(sql.giveUp, [inboxId, url, error, at])),
  };
}

/** inboxes.forward on a team server's database: the change is one transaction. */
export function pgForwardTarget(pool: Pool, inboxId: string, params: TargetInput & { remove?: boolean | undefined }, now: number): Promise<InboxForwardTarget[]> {
  return inTransaction(pool, (client) => runOpsAsync(forwardSteps(inboxId, params, now), pgTargetOps(client)));
}
