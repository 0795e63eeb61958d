import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A receiving address for any sender: captures are deliveries whose hook id is the inbox id. */
export const inboxes = sqliteTable('inboxes', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** A dialect name, or 'none' to capture without checking. */
  dialect: text('dialect').notNull(),
  secretSealed: text('secret_sealed'),
  /** Overrides the dialect's timestamp tolerance; null keeps the dialect's own. */
  toleranceSeconds: integer('tolerance_seconds'),
  createdAt: integer('created_at').notNull(),
  /** JSON InboxAnswer: what the inbox answers senders; null is 2xx at once. */
  answer: text('answer'),
  /** The secret a rotation replaced: it keeps verifying until previousSecretExpiresAt. */
  previousSecretSealed: text('previous_secret_sealed'),
  previousSecretExpiresAt: integer('previous_secret_expires_at'),
});
