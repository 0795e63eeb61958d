import type { Pool } from 'pg';
import type { EngineBus } from '../bus';
import { tableSql } from '../db/pg/table-sql';
import { pgRowCache, reloads, type PgLookup } from '../db/pg/row-cache';
import { hooks, packages } from '../db/schema';
import type { ReceiverHook } from './packages';

const h = tableSql(hooks);
const p = tableSql(packages);

// The fields hookLookup (packages.ts) reads, under the same names.
const select =
  `SELECT h.${h.column('id')} AS "hookId", p.${p.column('id')} AS "packageId", p.${p.column('provider')} AS provider, ` +
  `p.${p.column('repoFullName')} AS repo, p.${p.column('repoId')} AS "repoId", h.${h.column('secretSealed')} AS "secretSealed", ` +
  `h.${h.column('previousSecretSealed')} AS "previousSecretSealed", h.${h.column('previousSecretExpiresAt')} AS "previousSecretExpiresAt" ` +
  `FROM ${h.name} h JOIN ${p.name} p ON p.${p.column('id')} = h.${h.column('packageId')}`;

export const pgHookLookupSql = {
  all: { name: 'hb_lookup_hooks', text: select },
  one: { name: 'hb_lookup_hook', text: `${select} WHERE h.${h.column('id')} = $1` },
};

/**
 * hookLookup's PostgreSQL form, for a team server's receiver: package hooks kept in memory
 * (see PgLookup for when they are read, and the miss path). A package added or removed on any
 * instance announces itself with a 'packages' event, which every instance's bus carries.
 */
export function pgHookLookup(pool: Pool, options: { bus?: EngineBus; everyMs?: number } = {}): PgLookup<ReceiverHook> {
  return pgRowCache<ReceiverHook, ReceiverHook>({
    pool,
    ...pgHookLookupSql,
    idOf: (row) => row.hookId,
    toValue: (row) => row,
    bus: options.bus,
    changedBy: (event) => event.type === 'packages' || reloads(event, 'packages'),
    everyMs: options.everyMs,
  });
}
