import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * How long stored requests and sent messages are kept: one global row (scope 'global', id '')
 * and overrides per package, inbox or endpoint. In a limit column, NULL means "as the global
 * policy says" (on the global row: no limit) and 0 means "no limit" (keep forever).
 */
export const retentionPolicies = sqliteTable(
  'retention_policies',
  {
    scope: text('scope', { enum: ['global', 'package', 'inbox', 'endpoint'] }).notNull(),
    scopeId: text('scope_id').notNull(),
    days: integer('days'),
    maxDeliveries: integer('max_deliveries'),
    maxBytes: integer('max_bytes'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.scopeId] })],
);
