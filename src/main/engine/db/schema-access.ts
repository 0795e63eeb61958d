import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A named API token: only its sha256 is kept; the token itself is shown once. */
export const apiTokens = sqliteTable('api_tokens', {
  name: text('name').primaryKey(),
  /** viewer, operator or admin (src/shared/roles.ts). */
  role: text('role').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  lastUsedAt: integer('last_used_at'),
});

/** Every change made through the engine API, and every refused token: who, what, when, from where. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    /** A token's name, "local" for the desktop, the CLI on the data dir or the launch token, or "unknown" for a refused token. */
    actor: text('actor').notNull(),
    role: text('role'),
    method: text('method').notNull(),
    /** The id the change was aimed at, when it names one; never a secret. */
    target: text('target'),
    /** ok, or the error code the call ended with (unauthorised and forbidden for refused tokens). */
    outcome: text('outcome').notNull(),
    remoteAddress: text('remote_address'),
  },
  (t) => [index('audit_log_at').on(t.at)],
);
