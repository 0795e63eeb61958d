import type pg from 'pg';
import type { AuditEntry, TokenSummary } from '../../../shared/access-types';
import { tableSql } from '../db/pg/table-sql';
import { apiTokens, auditLog } from '../db/schema';
import { createAuditQueue, type AuditQueueOptions } from './audit-queue';
import { asAuditEntry, asSummary, type AccessStore, type NewAuditEntry } from './statements';
import { withTokenCache } from './token-cache';

const t = tableSql(apiTokens);
const a = tableSql(auditLog);

const SUMMARY = ['name', 'role', 'createdAt', 'createdBy', 'lastUsedAt'] as const;
const TOKEN = [...SUMMARY, 'tokenHash'] as const;
const AUDIT = ['at', 'actor', 'role', 'method', 'target', 'outcome', 'remoteAddress'] as const;
const AUDIT_TYPES = ['bigint', 'text', 'text', 'text', 'text', 'text', 'text'];
const auditColumns = AUDIT.map(a.column).join(', ');

/**
 * Access control's PostgreSQL statements, named so each pooled connection parses them once.
 * Token names sort byte-wise (COLLATE "C"), as SQLite sorts them, whatever the database's locale.
 */
const SQL = {
  insertToken: { name: 'hb_access_insert_token', text: t.insert(TOKEN) },
  listTokens: { name: 'hb_access_list_tokens', text: `SELECT ${t.selectList(SUMMARY)} FROM ${t.name} ORDER BY ${t.column('name')} COLLATE "C"` },
  deleteToken: { name: 'hb_access_delete_token', text: `DELETE FROM ${t.name} WHERE ${t.column('name')} = $1` },
  findToken: { name: 'hb_access_find_token', text: `SELECT ${t.selectList(SUMMARY)} FROM ${t.name} WHERE ${t.column('tokenHash')} = $1` },
  tokenCount: { name: 'hb_access_token_count', text: `SELECT count(*) AS n FROM ${t.name}` },
  touchToken: { name: 'hb_access_touch_token', text: `UPDATE ${t.name} SET ${t.column('lastUsedAt')} = $2 WHERE ${t.column('name')} = $1` },
  // A batch in one statement, in the order it was recorded (so ids follow it).
  insertAudit: {
    name: 'hb_access_insert_audit',
    text:
      `INSERT INTO ${a.name} (${auditColumns}) SELECT ${auditColumns} FROM unnest(${AUDIT_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) ` +
      `WITH ORDINALITY AS batch(${auditColumns}, ordinal) ORDER BY ordinal`,
  },
  listAudit: {
    name: 'hb_access_list_audit',
    text: `SELECT ${a.selectList()} FROM ${a.name} WHERE $1::bigint IS NULL OR ${a.column('id')} < $1 ORDER BY ${a.column('id')} DESC LIMIT $2`,
  },
};

export interface PgAccessOptions {
  /** The clock the token cache reads (the engine's). */
  now?: () => number;
  audit?: AuditQueueOptions;
}

/**
 * Access control on a team server's database. Token lookups are cached briefly (token-cache.ts:
 * a revocation is seen everywhere within TOKEN_CACHE_MS); audit entries are queued and written
 * in order behind the calls they record (audit-queue.ts), and written out on close().
 */
export function pgAccessStore(pool: pg.Pool, options: PgAccessOptions = {}): AccessStore {
  const writeAudit = async (entries: NewAuditEntry[]) => {
    await pool.query({ ...SQL.insertAudit, values: AUDIT.map((key) => entries.map((entry) => entry[key])) });
  };
  const queue = createAuditQueue(writeAudit, options.audit);
  const store: AccessStore = {
    insertToken: async (row) => void (await pool.query({ ...SQL.insertToken, values: TOKEN.map((key) => row[key]) })),
    listTokens: async () => (await pool.query<TokenSummary>(SQL.listTokens)).rows.map(asSummary),
    deleteToken: async (name) => ((await pool.query({ ...SQL.deleteToken, values: [name] })).rowCount ?? 0) > 0,
    findTokenByHash: async (hash) => {
      const row = (await pool.query<TokenSummary>({ ...SQL.findToken, values: [hash] })).rows[0];
      return row && asSummary(row);
    },
    tokenCount: async () => Number((await pool.query<{ n: number }>(SQL.tokenCount)).rows[0]?.n ?? 0),
    touchToken: async (name, at) => void (await pool.query({ ...SQL.touchToken, values: [name, at] })),
    insertAudit: (entry) => queue.push(entry),
    listAudit: async (beforeId, limit) => {
      // What this process recorded before asking is in the answer.
      await queue.flush();
      return (await pool.query<AuditEntry>({ ...SQL.listAudit, values: [beforeId ?? null, limit] })).rows.map(asAuditEntry);
    },
    close: () => queue.close(),
  };
  return withTokenCache(store, options.now);
}
