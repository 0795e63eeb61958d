import type { Pool, PoolClient } from 'pg';
import { tableSql } from '../db/pg/table-sql';
import { endpoints, hooks, inboxes, packages } from '../db/schema';
import type { SecretRows } from './known-secrets';

const h = tableSql(hooks);
const p = tableSql(packages);
const i = tableSql(inboxes);
const e = tableSql(endpoints);

/** sqliteSecretRows' reads, for PostgreSQL, under the same names. */
export const pgSecretRowsSql = {
  hooks: {
    name: 'hb_secret_rows_hooks',
    text:
      `SELECT h.${h.column('id')} AS "hookId", p.${p.column('name')} AS name, p.${p.column('repoFullName')} AS repo, p.${p.column('provider')} AS provider, ` +
      `h.${h.column('secretSealed')} AS secret, h.${h.column('previousSecretSealed')} AS previous, h.${h.column('previousSecretExpiresAt')} AS "previousUntil" ` +
      `FROM ${h.name} h JOIN ${p.name} p ON p.${p.column('id')} = h.${h.column('packageId')} ORDER BY h.${h.column('createdAt')}, h.${h.column('id')}`,
  },
  inboxes: {
    name: 'hb_secret_rows_inboxes',
    text:
      `SELECT ${i.column('id')} AS id, ${i.column('name')} AS name, ${i.column('dialect')} AS dialect, ${i.column('secretSealed')} AS secret, ` +
      `${i.column('toleranceSeconds')} AS tolerance, ${i.column('previousSecretSealed')} AS previous, ${i.column('previousSecretExpiresAt')} AS "previousUntil" ` +
      `FROM ${i.name} ORDER BY ${i.column('createdAt')}, ${i.column('id')}`,
  },
  endpoints: {
    name: 'hb_secret_rows_endpoints',
    text: `SELECT ${e.column('name')} AS name, ${e.column('secretSealed')} AS secret FROM ${e.name} ORDER BY ${e.column('createdAt')}, ${e.column('id')}`,
  },
};

/** Every sealed secret of packages, inboxes and endpoints, oldest first (the order SQLite reads them in). */
export async function pgSecretRows(db: Pool | PoolClient): Promise<SecretRows> {
  const [hookRows, inboxRows, endpointRows] = await Promise.all([
    db.query<SecretRows['hooks'][number]>(pgSecretRowsSql.hooks),
    db.query<SecretRows['inboxes'][number]>(pgSecretRowsSql.inboxes),
    db.query<SecretRows['endpoints'][number]>(pgSecretRowsSql.endpoints),
  ]);
  return { hooks: hookRows.rows, inboxes: inboxRows.rows, endpoints: endpointRows.rows };
}
