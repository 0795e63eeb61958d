import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { deliveries } from './schema';
import { inboxes } from './schema-inboxes';

/** A local URL an inbox passes each capture on to; one per (inbox, URL). */
export const inboxForwardTargets = sqliteTable(
  'inbox_forward_targets',
  {
    inboxId: text('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** JSON string[]: event names taken; empty: all. */
    events: text('events').notNull(),
    /** `FROM=>TO`, or null to keep the captured path. */
    pathRewrite: text('path_rewrite'),
    passBack: integer('pass_back', { mode: 'boolean' }).notNull().default(false),
    /** JSON number[]: seconds before each retry after a failed forward. */
    retrySeconds: text('retry_seconds').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.url] })],
);

/** One capture forwarded to one target: its last attempt's answer, and when to try again. */
export const inboxForwards = sqliteTable(
  'inbox_forwards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    inboxId: text('inbox_id').notNull(),
    /** The target as configured; the request goes to this URL with the (rewritten) captured path. */
    targetUrl: text('target_url').notNull(),
    /** The sender waits for this one's answer (the target passes its answer back). */
    passBack: integer('pass_back', { mode: 'boolean' }).notNull().default(false),
    state: text('state', { enum: ['pending', 'sending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    /** While 'sending': when the claim runs out and another process may take the row back. */
    claimedUntil: integer('claimed_until'),
    status: integer('status'),
    /** JSON [name, value][] of the target's last answer, credentials sealed. */
    responseHeaders: text('response_headers'),
    /** The first 64 KiB of the target's last answer. */
    responseBody: blob('response_body', { mode: 'buffer' }),
    durationMs: integer('duration_ms'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('inbox_forwards_delivery').on(t.deliveryId),
    index('inbox_forwards_due')
      .on(t.nextAttemptAt)
      .where(sql`state = 'pending'`),
    index('inbox_forwards_claimed')
      .on(t.claimedUntil)
      .where(sql`state = 'sending'`),
  ],
);
