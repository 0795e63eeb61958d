import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Some tables sit in files of their own; drizzle-kit reads them through these re-exports.
export { inboxes } from './schema-inboxes';
export { inboxForwards, inboxForwardTargets } from './schema-inbox-forward';
export { apiTokens, auditLog } from './schema-access';
export { listTotals } from './schema-lists';
export { retentionPolicies } from './schema-retention';
export { attempts, endpoints, messages } from './schema-outbound';

/** A provider credential: Hookbench manages hooks upstream with it. */
export const connections = sqliteTable('connections', {
  id: text('id').primaryKey(),
  provider: text('provider', { enum: ['github', 'gitlab'] }).notNull(),
  /** The REST root: https://api.github.com, <host>/api/v3 (Enterprise Server) or <host>/api/v4 (GitLab). */
  baseUrl: text('base_url').notNull(),
  tokenSealed: text('token_sealed').notNull(),
  /** Who the token belongs to, as the provider said when it was added. */
  login: text('login').notNull(),
  accountId: text('account_id'),
  /** JSON array; null when the provider does not list them (GitHub fine-grained tokens). */
  scopes: text('scopes'),
  serverVersion: text('server_version'),
  expiresAt: integer('expires_at'),
  createdAt: integer('created_at').notNull(),
});

export const packages = sqliteTable('packages', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  provider: text('provider', { enum: ['github', 'gitlab'] }).notNull(),
  repoFullName: text('repo_full_name').notNull(),
  repoId: text('repo_id').notNull(),
  /** Set when Hookbench manages this package's hook upstream; removing the connection leaves the package unmanaged. */
  connectionId: text('connection_id').references(() => connections.id, { onDelete: 'set null' }),
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
    /** The secret being replaced: it keeps verifying until the new hook exists upstream (or until it expires). */
    previousSecretSealed: text('previous_secret_sealed'),
    /** null while a rotation through a connection is unfinished: valid until the new upstream hook exists. */
    previousSecretExpiresAt: integer('previous_secret_expires_at'),
    /** The rotation step that is next (and where a failed rotation stopped); null when none is under way. */
    rotationStep: text('rotation_step', { enum: ['delete_old', 'create_new'] }),
    rotationError: text('rotation_error'),
    upstreamCheckedAt: integer('upstream_checked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('hooks_package_unique').on(t.packageId)],
);

export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The receiving address: a package's hook id or an inbox id. */
    hookId: text('hook_id').notNull(),
    packageId: text('package_id'),
    /** Inbox captures keep the request line; null for a package hook's POST /hooks/:id. */
    method: text('method'),
    /** The path after the inbox's address, with the query exactly as sent ("/a/b?x=1"); null as for method. */
    path: text('path'),
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
      enum: ['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted', 'captured'],
    }).notNull(),
    outcomeReason: text('outcome_reason'),
    duplicateOf: integer('duplicate_of'),
    tag: text('tag'),
    releaseId: integer('release_id'),
    /** A replay of an earlier delivery or attempt records what it replayed. */
    replayOf: text('replay_of'),
    /** An imported record's content digest and copy number: importing the same record again finds it and adds nothing. */
    importKey: text('import_key'),
    /** Marked "keep" by the user: retention never prunes it. */
    keptAt: integer('kept_at'),
  },
  (t) => [
    uniqueIndex('deliveries_import_key')
      .on(t.importKey)
      .where(sql`import_key IS NOT NULL`),
    uniqueIndex('deliveries_provider_id_unique')
      .on(t.hookId, t.providerDeliveryId)
      // Rejected requests never claim a delivery id: a forged copy must not block the real one.
      .where(sql`duplicate_of IS NULL AND provider_delivery_id IS NOT NULL AND outcome <> 'rejected'`),
    index('deliveries_package_time').on(t.packageId, t.id),
    // Also what ingest walks: the pending ones, in arrival order.
    index('deliveries_outcome').on(t.outcome, t.id),
    // Every arrival of one inbox event (repeats included), for answers and the retry timeline; package deliveries stay out of it.
    index('deliveries_inbox_event')
      .on(t.hookId, t.providerDeliveryId, t.id)
      .where(sql`package_id IS NULL AND provider_delivery_id IS NOT NULL`),
    index('deliveries_hook_page').on(t.hookId, t.id),
    // Retention walks each package's (or else each inbox's) deliveries oldest first.
    index('deliveries_retention').on(sql`coalesce(${t.packageId}, ${t.hookId})`, t.receivedAt),
    // Ids alone: a jump deep into the unfiltered list counts its way down here, not through every stored body.
    index('deliveries_id_order').on(t.id),
    // A time range's count is a range of this index (entries only), and its pages start from it when the range is narrow.
    index('deliveries_received').on(t.receivedAt),
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
  (t) => [
    uniqueIndex('releases_package_tag_unique').on(t.packageId, t.tag),
    index('releases_package_version').on(t.packageId, t.version),
    index('releases_package_page').on(t.packageId, t.id),
    // Deleting or pruning deliveries looks up the releases that name them: without it, every batch read every release.
    index('releases_delivery').on(t.deliveryId),
  ],
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
    /** The package's name when this happened: the feed still names a package after it is removed. */
    packageName: text('package_name'),
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

export const fixtures = sqliteTable('fixtures', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** Where it came from: "delivery:12", "attempt:7", "builtin:github/push", "import". */
  origin: text('origin').notNull(),
  dialect: text('dialect'),
  event: text('event'),
  /** JSON [name, value][] as captured. */
  headers: text('headers').notNull(),
  body: blob('body', { mode: 'buffer' }).notNull(),
  contentType: text('content_type'),
  createdAt: integer('created_at').notNull(),
  /** Saved from an inbox capture: the method it came with; null for one sent as a plain POST (hooks, attempts, the library). */
  method: text('method'),
  /** Saved from an inbox capture: the path after the inbox's address, query included, as sent; null as for method. */
  path: text('path'),
});

export const replays = sqliteTable(
  'replays',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** "delivery:12", "attempt:7" or "fixture:3". */
    source: text('source').notNull(),
    mode: text('mode', { enum: ['exact', 'resign', 'edit'] }).notNull(),
    targetUrl: text('target_url').notNull(),
    requestHeaders: text('request_headers').notNull(),
    requestBody: blob('request_body', { mode: 'buffer' }).notNull(),
    status: integer('status'),
    responseHeaders: text('response_headers'),
    responseBody: blob('response_body', { mode: 'buffer' }),
    durationMs: integer('duration_ms'),
    error: text('error'),
    /** When the target was this Hookbench's own receiver: the delivery it made. */
    deliveryId: integer('delivery_id'),
    createdAt: integer('created_at').notNull(),
    /** The method it was sent with (an inbox capture's own); null in rows from before it was kept: POST. */
    method: text('method'),
  },
  (t) => [index('replays_source').on(t.source)],
);
