import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Outbound: endpoints, the messages queued for them and every attempt to send one. */
export const endpoints = sqliteTable('endpoints', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  dialect: text('dialect').notNull(),
  /** JSON array of event names this endpoint subscribes to. */
  events: text('events').notNull(),
  secretSealed: text('secret_sealed').notNull(),
  /** The secret being rotated out: still signed with (where the dialect allows) until it expires. */
  previousSecretSealed: text('previous_secret_sealed'),
  previousSecretExpiresAt: integer('previous_secret_expires_at'),
  /** JSON: null for the dialect's default schedule, else an array of delays in seconds. */
  retryDelays: text('retry_delays'),
  active: integer('active', { mode: 'boolean' }).notNull(),
  disabledReason: text('disabled_reason'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  maxInFlight: integer('max_in_flight').notNull().default(4),
  timeoutMs: integer('timeout_ms').notNull().default(15_000),
  /** Relay: receive this package's raw inbound deliveries. */
  relayPackageId: text('relay_package_id'),
  relayMode: text('relay_mode', { enum: ['original', 'resign'] }),
  /** How engine events become a body: the dialect's payloads, a chat message, or the user's template. */
  format: text('format', { enum: ['dialect', 'slack', 'discord', 'template'] })
    .notNull()
    .default('dialect'),
  template: text('template'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The id receivers dedupe on; a redelivery keeps it. */
    messageId: text('message_id').notNull(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => endpoints.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    body: blob('body', { mode: 'buffer' }).notNull(),
    contentType: text('content_type').notNull(),
    /** JSON [name, value][] sent as they are (relay in original mode), before signature headers. */
    extraHeaders: text('extra_headers'),
    /** Relay in original mode: the provider's signature stays, nothing is re-signed. */
    signed: integer('signed', { mode: 'boolean' }).notNull().default(true),
    source: text('source', { enum: ['event', 'trigger', 'relay', 'redelivery'] }).notNull(),
    state: text('state', { enum: ['pending', 'sending', 'succeeded', 'failed'] }).notNull(),
    attemptCount: integer('attempt_count').notNull().default(0),
    /**
     * attempt_count when the current run of sends began: a resend keeps numbering attempts
     * (it is attempt N+1, sent by hand) while its retry schedule starts over from here.
     */
    runFrom: integer('run_from').notNull().default(0),
    /** The next attempt was asked for by hand (a resend), not by the schedule. */
    manualNext: integer('manual_next', { mode: 'boolean' }).notNull().default(false),
    nextAttemptAt: integer('next_attempt_at'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    /**
     * While 'sending': when the claim runs out. A process that died mid-send (a CLI killed
     * during trigger --count) leaves its claims behind; a running serve takes them back then.
     */
    claimedUntil: integer('claimed_until'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('messages_due')
      .on(t.nextAttemptAt)
      .where(sql`state = 'pending'`),
    index('messages_claimed')
      .on(t.claimedUntil)
      .where(sql`state = 'sending'`),
    // What the dispatcher asks per endpoint with a free slot: its pending messages, oldest due first.
    index('messages_due_per_endpoint')
      .on(t.endpointId, t.nextAttemptAt)
      .where(sql`state = 'pending'`),
    index('messages_endpoint').on(t.endpointId, t.id),
  ],
);

export const attempts = sqliteTable(
  'attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageRowId: integer('message_row_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    endpointId: text('endpoint_id').notNull(),
    attemptNo: integer('attempt_no').notNull(),
    trigger: text('trigger', { enum: ['scheduled', 'manual'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    url: text('url').notNull(),
    requestHeaders: text('request_headers').notNull(),
    status: integer('status'),
    responseHeaders: text('response_headers'),
    responseBody: blob('response_body', { mode: 'buffer' }),
    responseTruncated: integer('response_truncated', { mode: 'boolean' }).notNull().default(false),
    durationMs: integer('duration_ms'),
    error: text('error'),
    succeeded: integer('succeeded', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('attempts_endpoint').on(t.endpointId, t.id), index('attempts_message').on(t.messageRowId)],
);
