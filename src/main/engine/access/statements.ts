import { count, desc, eq, lt } from 'drizzle-orm';
import type { AuditEntry, Role, TokenSummary } from '../../../shared/access-types';
import type { Queryable } from '../db/open';
import { apiTokens, auditLog } from '../db/schema';

export interface TokenRow extends TokenSummary {
  tokenHash: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/**
 * What access control needs from storage, and nothing more: a second store (PostgreSQL)
 * is a second implementation of this interface.
 */
export interface AccessStore {
  insertToken(row: TokenRow): void;
  listTokens(): TokenSummary[];
  deleteToken(name: string): boolean;
  findTokenByHash(hash: string): TokenSummary | undefined;
  tokenCount(): number;
  touchToken(name: string, at: number): void;
  insertAudit(entry: NewAuditEntry): void;
  listAudit(beforeId: number | undefined, limit: number): AuditEntry[];
}

const summary = {
  name: apiTokens.name,
  role: apiTokens.role,
  createdAt: apiTokens.createdAt,
  createdBy: apiTokens.createdBy,
  lastUsedAt: apiTokens.lastUsedAt,
};

const asSummary = (row: { role: string } & Omit<TokenSummary, 'role'>): TokenSummary => ({ ...row, role: row.role as Role });

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
        .map((row) => ({ ...row, role: row.role as Role | null })),
  };
}
