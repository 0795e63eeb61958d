import { count, desc, eq, lt } from 'drizzle-orm';
import type { AuditEntry, Role, TokenSummary } from '../../../shared/access-types';
import type { Queryable } from '../db/open';
import { apiTokens, auditLog } from '../db/schema';
import type { MaybePromise } from '../maybe-promise';

export interface TokenRow extends TokenSummary {
  tokenHash: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/**
 * What access control needs from storage, and nothing more: SQLite answers at once, PostgreSQL
 * (pg-statements.ts) with promises; access.ts awaits either.
 */
export interface AccessStore {
  insertToken(row: TokenRow): MaybePromise<void>;
  listTokens(): MaybePromise<TokenSummary[]>;
  deleteToken(name: string): MaybePromise<boolean>;
  findTokenByHash(hash: string): MaybePromise<TokenSummary | undefined>;
  tokenCount(): MaybePromise<number>;
  touchToken(name: string, at: number): MaybePromise<void>;
  /** Never keeps the call it records waiting long: a store over the network queues it (audit-queue.ts). */
  insertAudit(entry: NewAuditEntry): MaybePromise<void>;
  /** Newest first; sees every entry this process recorded before the call. */
  listAudit(beforeId: number | undefined, limit: number): MaybePromise<AuditEntry[]>;
  /** Writes what is still queued; nothing is used afterwards. */
  close?(): Promise<void>;
}

const summary = {
  name: apiTokens.name,
  role: apiTokens.role,
  createdAt: apiTokens.createdAt,
  createdBy: apiTokens.createdBy,
  lastUsedAt: apiTokens.lastUsedAt,
};

export const asSummary = (row: { role: string } & Omit<TokenSummary, 'role'>): TokenSummary => ({ ...row, role: row.role as Role });

export const asAuditEntry = <R extends { role: string | null }>(row: R): R & { role: Role | null } => ({ ...row, role: row.role as Role | null });

export function sqliteAccessStore(db: Queryable): AccessStore {
  return {
    insertToken: (row) => void db.insert(apiTokens).values(row).run(),
    listTokens: () => db.select(summary).from(apiTokens).orderBy(apiTokens.name).all().map(asSummary),
    deleteToken: (name) => db.delete(apiTokens).where(eq(apiTokens.name, name)).run().changes > 0,
    findTokenByHash: (hash) => {
      const row = db.select(summary).from(apiTokens).where(eq(apiTokens.tokenHash, hash)).get();
      return row && asSummary(row);
    },
    tokenCount: () => db.select({ n: count() }).from(apiTokens).get()?.n ?? 0,
    touchToken: (name, at) => void db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.name, name)).run(),
    insertAudit: (entry) => void db.insert(auditLog).values(entry).run(),
    listAudit: (beforeId, limit) =>
      db
        .select()
        .from(auditLog)
        .where(beforeId === undefined ? undefined : lt(auditLog.id, beforeId))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all()
        .map(asAuditEntry),
  };
}
