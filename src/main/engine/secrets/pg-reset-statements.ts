import type { Pool, PoolClient } from 'pg';
import { tableSql } from '../db/pg/table-sql';
import { connections, endpoints, hooks, inboxes, packages } from '../db/schema';
import { pgProviderSql } from '../providers/pg-provider-statements';
import { pgRecordActivity } from '../store/pg-activity-statements';
import type { AsyncOps } from '../store/steps';
import type { ResetOps } from './reset-steps';
import type { SealedValue } from './statements';

const h = tableSql(hooks);
const p = tableSql(packages);
const e = tableSql(endpoints);
const i = tableSql(inboxes);
const c = tableSql(connections);

// In the order the data dir's reset reads them: hooks, endpoints, inboxes, connections, each oldest first.
const sealedOf = (rank: number, owner: SealedValue['owner'], t: ReturnType<typeof tableSql>, secret: string, previous: string | null) =>
  `SELECT ${rank} AS rank, '${owner}' AS owner, ${t.column('id')} AS id, ${t.column(secret)} AS secret, ${previous ? t.column(previous) : 'NULL'} AS previous, ${t.column('createdAt')} AS at FROM ${t.name}`;

/** A secret reset's SQL on a team server's database: the same reads and writes as statements.ts. */
export const pgResetSql = {
  /** Resets are one at a time across instances: a second waits, then finds what the first replaced opening. */
  lock: `SELECT pg_advisory_xact_lock(hashtext('hookbench.secrets-reset'))`,
  sealed:
    [
      sealedOf(1, 'hook', h, 'secretSealed', 'previousSecretSealed'),
      sealedOf(2, 'endpoint', e, 'secretSealed', 'previousSecretSealed'),
      sealedOf(3, 'inbox', i, 'secretSealed', 'previousSecretSealed'),
      sealedOf(4, 'connection', c, 'tokenSealed', null),
    ].join(' UNION ALL ') + ' ORDER BY rank, at, id',
  hookOwner:
    `SELECT h.${h.column('id')} AS "hookId", p.${p.column('id')} AS "packageId", p.${p.column('name')} AS name, p.${p.column('provider')} AS provider, ` +
    `p.${p.column('repoFullName')} AS repo, h.${h.column('providerHookId')} AS "providerHookId", p.${p.column('connectionId')} AS "connectionId" ` +
    `FROM ${h.name} h JOIN ${p.name} p ON p.${p.column('id')} = h.${h.column('packageId')} WHERE h.${h.column('id')} = $1`,
  endpointOwner: `SELECT ${e.selectList(['id', 'name', 'dialect'])} FROM ${e.name} WHERE ${e.column('id')} = $1`,
  inboxOwner: `SELECT ${i.selectList(['id', 'name', 'dialect'])} FROM ${i.name} WHERE ${i.column('id')} = $1`,
  replaceHookSecret:
    `UPDATE ${h.name} SET ${h.column('secretSealed')} = $2, ${h.column('previousSecretSealed')} = NULL, ${h.column('previousSecretExpiresAt')} = NULL, ` +
    `${h.column('rotationStep')} = NULL, ${h.column('rotationError')} = NULL, ${h.column('status')} = 'unregistered', ${h.column('statusReason')} = $3, ` +
    `${h.column('verifiedAt')} = NULL WHERE ${h.column('id')} = $1`,
  replaceEndpointSecret:
    `UPDATE ${e.name} SET ${e.column('secretSealed')} = $2, ${e.column('previousSecretSealed')} = NULL, ${e.column('previousSecretExpiresAt')} = NULL, ` +
    `${e.column('updatedAt')} = $3 WHERE ${e.column('id')} = $1`,
  replaceInboxSecret: `UPDATE ${i.name} SET ${i.column('secretSealed')} = $2, ${i.column('previousSecretSealed')} = NULL, ${i.column('previousSecretExpiresAt')} = NULL WHERE ${i.column('id')} = $1`,
  dropPrevious: {
    hook: `UPDATE ${h.name} SET ${h.column('previousSecretSealed')} = NULL, ${h.column('previousSecretExpiresAt')} = NULL WHERE ${h.column('id')} = $1`,
    endpoint: `UPDATE ${e.name} SET ${e.column('previousSecretSealed')} = NULL, ${e.column('previousSecretExpiresAt')} = NULL, ${e.column('updatedAt')} = $2 WHERE ${e.column('id')} = $1`,
    inbox: `UPDATE ${i.name} SET ${i.column('previousSecretSealed')} = NULL, ${i.column('previousSecretExpiresAt')} = NULL WHERE ${i.column('id')} = $1`,
  },
};

/** The reset's reads and writes inside one transaction on `client` (or, to read only, on the pool). */
export function pgResetOps(client: Pool | PoolClient, now: () => number): AsyncOps<ResetOps> {
  const one = async <T>(text: string, values: unknown[]) => (await client.query<T & object>(text, values)).rows[0];
  return {
    async listSealed() {
      const rows = (await client.query<{ owner: SealedValue['owner']; id: string; secret: string | null; previous: string | null }>(pgResetSql.sealed)).rows;
      return rows.flatMap((r): SealedValue[] => [
        // An inbox of dialect "none" checks no signature and has no secret.
        ...(r.secret ? [{ owner: r.owner, id: r.id, field: r.owner === 'connection' ? ('token' as const) : ('secret' as const), sealed: r.secret }] : []),
        ...(r.previous ? [{ owner: r.owner, id: r.id, field: 'previous' as const, sealed: r.previous }] : []),
      ]);
    },
    hookOwner: (id) => one(pgResetSql.hookOwner, [id]),
    endpointOwner: (id) => one(pgResetSql.endpointOwner, [id]),
    inboxOwner: (id) => one(pgResetSql.inboxOwner, [id]),
    replaceHookSecret: async (id, sealed, reason) => void (await client.query(pgResetSql.replaceHookSecret, [id, sealed, reason])),
    replaceEndpointSecret: async (id, sealed) => void (await client.query(pgResetSql.replaceEndpointSecret, [id, sealed, now()])),
    replaceInboxSecret: async (id, sealed) => void (await client.query(pgResetSql.replaceInboxSecret, [id, sealed])),
    dropPrevious: async (owner, id) => void (await client.query(pgResetSql.dropPrevious[owner], owner === 'endpoint' ? [id, now()] : [id])),
    async removeConnection(id) {
      const detached = (await client.query<{ id: string }>({ ...pgProviderSql.packagesOfConnection, values: [id] })).rows.map((row) => row.id);
      await client.query({ ...pgProviderSql.detachPackages, values: [id] });
      await client.query({ ...pgProviderSql.deleteConnection, values: [id] });
      return detached;
    },
    recordActivity: async (entry) => void (await pgRecordActivity(client, entry)),
  };
}
