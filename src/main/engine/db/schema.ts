import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const packages = sqliteTable('packages', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  provider: text('provider', { enum: ['github', 'gitlab'] }).notNull(),
  repoFullName: text('repo_full_name').notNull(),
  repoId: text('repo_id').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const hooks = sqliteTable(
  'hooks',
  {
    id: text('id').primaryKey(),
    packageId: text('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    secretSealed: text('secret_sealed').notNull(),
    status: text('status', { enum: ['unregistered', 'active', 'missing', 'failing'] }).notNull(),
    statusReason: text('status_reason'),
    verifiedAt: integer('verified_at'),
    providerHookId: text('provider_hook_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('hooks_package_unique').on(t.packageId)],
);

export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hookId: text('hook_id').notNull(),
    packageId: text('package_id'),
    receivedAt: integer('received_at').notNull(),
    source: text('source', { enum: ['direct', 'tunnel', 'replay', 'import'] }).notNull(),
    remoteAddress: text('remote_address'),
    /** JSON array of [name, value] pairs exactly as received: order, case and repeats kept. */
    headers: text('headers').notNull(),
    body: blob('body', { mode: 'buffer' }).notNull(),
    bodySize: integer('body_size').notNull(),
    contentType: text('content_type'),
    providerDeliveryId: text('provider_delivery_id'),
    event: text('event'),
    verdict: text('verdict', { enum: ['valid', 'invalid', 'missing', 'unchecked'] }).notNull(),
    /** JSON: which header was checked, expected and received values (never a secret). */
    verdictDetail: text('verdict_detail'),
    statusCode: integer('status_code').notNull(),
    outcome: text('outcome', {
      enum: ['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted'],
    }).notNull(),
    outcomeReason: text('outcome_reason'),
    duplicateOf: integer('duplicate_of'),
    tag: text('tag'),
    releaseId: integer('release_id'),
  },
  (t) => [
    uniqueIndex('deliveries_provider_id_unique')
      .on(t.hookId, t.providerDeliveryId)
      // Rejected requests never claim a delivery id: a forged copy must not block the real one.
      .where(sql`duplicate_of IS NULL AND provider_delivery_id IS NOT NULL AND outcome <> 'rejected'`),
    index('deliveries_pending').on(t.id).where(sql`outcome = 'pending'`),
    index('deliveries_package_time').on(t.packageId, t.id),
    index('deliveries_outcome').on(t.outcome, t.id),
  ],
);

export const releases = sqliteTable(
  'releases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    packageId: text('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    version: text('version').notNull(),
    prerelease: integer('prerelease', { mode: 'boolean' }).notNull(),
    commitSha: text('commit_sha'),
    status: text('status', { enum: ['published', 'checks_failed', 'tag_deleted'] }).notNull(),
    deliveryId: integer('delivery_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('releases_package_tag_unique').on(t.packageId, t.tag)],
);

export const releaseChecks = sqliteTable(
  'release_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    releaseId: integer('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: ['blocking', 'warning', 'info'] }).notNull(),
    passed: integer('passed', { mode: 'boolean' }).notNull(),
    detail: text('detail').notNull(),
  },
  (t) => [index('release_checks_release').on(t.releaseId)],
);

export const activity = sqliteTable(
  'activity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    packageId: text('package_id'),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    deliveryId: integer('delivery_id'),
    releaseId: integer('release_id'),
  },
  (t) => [index('activity_package').on(t.packageId, t.id)],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
