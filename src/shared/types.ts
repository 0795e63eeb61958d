export type Provider = 'github' | 'gitlab';

export type HookStatus = 'unregistered' | 'active' | 'missing' | 'failing';

export interface PackageSummary {
  id: string;
  name: string;
  provider: Provider;
  repo: string;
  repoId: string;
  createdAt: number;
  hook: { id: string; url: string; status: HookStatus; statusReason: string | null; verifiedAt: number | null };
  latestRelease: string | null;
  /** Set when Hookbench manages the hook upstream through a connection. */
  connectionId?: string | null;
  upstream?: HookUpstream;
}

/** Returned once, when a package is created: the only time its secret is shown. */
export interface PackageCreated {
  id: string;
  hookUrl: string;
  secret: string;
  /** GitLab's Standard-Webhooks signing token for the same hook. */
  signingToken: string;
}

export type DeliverySource = 'direct' | 'tunnel' | 'replay' | 'import';
export type Verdict = 'valid' | 'invalid' | 'missing' | 'unchecked';
export type DeliveryOutcome =
  | 'pending'
  | 'ingested'
  | 'duplicate'
  | 'ignored'
  | 'skipped'
  | 'rejected'
  | 'ping'
  | 'tag_deleted';

export interface VerdictDetail {
  /** The header the verdict is about, as the provider names it. */
  header: string | null;
  scheme: string | null;
  expected: string | null;
  received: string | null;
  reason: string;
}

export interface DeliverySummary {
  id: number;
  packageId: string | null;
  receivedAt: number;
  source: DeliverySource;
  event: string | null;
  providerDeliveryId: string | null;
  verdict: Verdict;
  statusCode: number;
  outcome: DeliveryOutcome;
  outcomeReason: string | null;
  tag: string | null;
  bodySize: number;
}

export interface DeliveryDetail extends DeliverySummary {
  hookId: string;
  remoteAddress: string | null;
  contentType: string | null;
  headers: [string, string][];
  bodyBase64: string;
  verdictDetail: VerdictDetail | null;
  duplicateOf: number | null;
  releaseId: number | null;
}

export type ReleaseStatus = 'published' | 'checks_failed' | 'tag_deleted';
export type CheckSeverity = 'blocking' | 'warning' | 'info';

export interface CheckResult {
  rule: string;
  severity: CheckSeverity;
  passed: boolean;
  detail: string;
}

export interface Release {
  id: number;
  packageId: string;
  tag: string;
  version: string;
  prerelease: boolean;
  commitSha: string | null;
  status: ReleaseStatus;
  deliveryId: number | null;
  createdAt: number;
  updatedAt: number;
  checks: CheckResult[];
}

export type ActivityKind =
  | 'ingested'
  | 'skipped'
  | 'rejected'
  | 'duplicate'
  | 'checks_failed'
  | 'tag_deleted'
  | 'already_ingested'
  | 'hook_verified'
  | 'package_added'
  | 'package_removed'
  | 'connection_added'
  | 'connection_removed'
  | 'hook_registered'
  | 'hook_unregistered'
  | 'hook_rotated'
  | 'hook_rotation_failed'
  | 'hook_missing'
  | 'hook_failing'
  | 'hook_healthy'
  | 'redelivered'
  | 'reconciled'
  | 'tunnel_created'
  | 'tunnel_connected'
  | 'tunnel_disconnected'
  | 'tunnel_stalled';

export interface ActivityEntry {
  id: number;
  at: number;
  packageId: string | null;
  kind: ActivityKind;
  message: string;
  deliveryId: number | null;
  releaseId: number | null;
}

export interface ServerInfo {
  version: string;
  dataDir: string;
  receiverUrl: string | null;
  secretStore: string;
}

export type EngineEvent =
  | 'package.created'
  | 'package.updated'
  | 'package.deleted'
  | 'release.published'
  | 'release.checks_failed'
  | 'release.tag_deleted';

export const ENGINE_EVENTS: EngineEvent[] = [
  'package.created',
  'package.updated',
  'package.deleted',
  'release.published',
  'release.checks_failed',
  'release.tag_deleted',
];

export interface EndpointSummary {
  id: string;
  name: string;
  url: string;
  dialect: string;
  events: string[];
  active: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  /** null: the dialect's default schedule. */
  retryDelays: number[] | null;
  effectiveRetryDelays: number[];
  maxInFlight: number;
  timeoutMs: number;
  rotatingUntil: number | null;
  relay: { packageId: string; mode: 'original' | 'resign' } | null;
  /** dialect: the dialect's payloads; slack/discord: a readable chat message; template: the user's template. */
  format: 'dialect' | 'slack' | 'discord' | 'template';
  template: string | null;
  createdAt: number;
  stats: EndpointStats;
}

/** Returned when a secret is made: the only time it is shown. */
export interface EndpointSecret {
  id: string;
  secret: string;
  previousSecretValidUntil?: number | null;
}

export type MessageState = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface MessageView {
  id: number;
  messageId: string;
  endpointId: string;
  event: string;
  source: 'event' | 'trigger' | 'relay' | 'redelivery';
  state: MessageState;
  attemptCount: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
}

export interface AttemptView {
  id: number;
  messageRowId: number;
  messageId: string;
  endpointId: string;
  attemptNo: number;
  trigger: 'scheduled' | 'manual';
  startedAt: number;
  url: string;
  requestHeaders: [string, string][];
  status: number | null;
  responseHeaders: [string, string][];
  responseBody: string;
  responseTruncated: boolean;
  durationMs: number | null;
  error: string | null;
  succeeded: boolean;
}

export interface DialectInfo {
  name: string;
  label: string;
  headers: string[];
  secret: string;
  events: { name: string; variant?: string | undefined; description: string }[];
  retry: { delaysSeconds: number[]; disableAfterExhausted: boolean; description: string };
}

export type Cause =
  | 'wrong_secret'
  | 'body_reserialized'
  | 'form_vs_json'
  | 'secret_encoding'
  | 'hex_vs_base64'
  | 'prefix'
  | 'timestamp'
  | 'duplicate_header'
  | 'misspelled_header'
  | 'no_signature'
  | 'unknown_dialect';

/** Bytes a person can look at without anything in them being interpreted. */
export interface SafeBytes {
  length: number;
  base64: string;
  /** UTF-8 text with control characters shown as \xNN; cut at 64 KiB. */
  text: string;
  truncated: boolean;
}

export interface Diagnosis {
  detected: string[];
  dialect: string | null;
  verdict: 'valid' | 'invalid' | 'missing' | 'unchecked';
  signedBytes: SafeBytes | null;
  expected: string | null;
  received: string | null;
  /** Label of the secret that reproduced the signature, when one did. */
  matchedSecret: string | null;
  skewSeconds: number | null;
  cause: Cause | null;
  explanation: string;
  fix: string | null;
  /** Every reconstruction tried, so "nothing matched" says what nothing means. */
  tried: string[];
}

export interface SignedRequest {
  headers: Record<string, string>;
  signedBytes: SafeBytes;
  /** A cURL command that sends the body with these headers (body read from a file). */
  curl: string;
}

export interface EndpointStats {
  attempts: number;
  succeeded: number;
  /** succeeded / attempts, 0..1; null before the first attempt. */
  successRate: number | null;
  /** Over the last 1,000 attempts. */
  p50Ms: number | null;
  p99Ms: number | null;
  lastStatus: number | null;
  lastAttemptAt: number | null;
  failedMessages: number;
  pendingMessages: number;
}

export interface EndpointSeriesPoint {
  /** Bucket start (ms). */
  t: number;
  attempts: number;
  succeeded: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export type CapturedRef = `delivery:${number}` | `attempt:${number}` | `fixture:${number}` | string;

export interface ReplayOptions {
  /** A URL, or omitted to replay into this Hookbench's own receiver (the original hook, or `packageId`'s). */
  to?: string | undefined;
  packageId?: string | undefined;
  mode: 'exact' | 'resign' | 'edit';
  dialect?: string | undefined;
  secret?: string | undefined;
  /** Mint a new delivery id instead of keeping the original (to test a receiver's dedupe, keep it). */
  newId?: boolean | undefined;
  /** edit mode: the body to send instead (base64). */
  bodyBase64?: string | undefined;
  /** edit mode: headers to set (replacing any of the same name); an empty value removes the header. */
  headers?: [string, string][] | undefined;
}

export interface ReplayView {
  id: number;
  source: string;
  mode: 'exact' | 'resign' | 'edit';
  targetUrl: string;
  requestHeaders: [string, string][];
  requestBodyBase64: string;
  status: number | null;
  responseHeaders: [string, string][];
  responseBody: string;
  durationMs: number | null;
  error: string | null;
  deliveryId: number | null;
  createdAt: number;
}

export interface FixtureSummary {
  id: number;
  name: string;
  origin: string;
  dialect: string | null;
  event: string | null;
  bodySize: number;
  createdAt: number;
}

export interface FixtureDetail extends FixtureSummary {
  headers: [string, string][];
  bodyBase64: string;
  contentType: string | null;
}

export interface ImportResult {
  format: 'har' | 'bundle';
  deliveries: number;
  fixtures: number;
}

export type TunnelState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'stalled';

/** The smee tunnel, as the process holding its connection sees it. */
export interface TunnelStatus {
  state: TunnelState;
  /** The smee channel events are read from; null until one is created. */
  channelUrl: string | null;
  server: string | null;
  /** Off after tunnel.disconnect, until tunnel.connect. */
  enabled: boolean;
  /** Hook URLs through the tunnel are this plus "/hooks/<hook id>" (smee carries the query, not a path). */
  hookUrlBase: string | null;
  /** Whether hook URLs point at the tunnel now (the receiver's public URL is the tunnel's). */
  hookUrlsViaTunnel: boolean;
  connectedAt: number | null;
  lastEventAt: number | null;
  lastPingAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Successful reconnections since the tunnel was started. */
  reconnects: number;
  /** While reconnecting: when the next attempt is due. */
  nextRetryAt: number | null;
  /** Events taken from the channel, and those that could not be stored (no hook id, unknown hook). */
  events: number;
  dropped: number;
  /** live: reported by the process holding the connection; saved: as that process (pid) last saved it. */
  source: 'live' | 'saved';
  pid: number | null;
  updatedAt: number;
}

export interface TunnelCreated {
  channelUrl: string;
  server: string;
  hookUrlBase: string;
  hookUrlsViaTunnel: boolean;
  /** What to know about this tunnel: where hook URLs point, and what smee cannot carry. */
  notes: string[];
  status: TunnelStatus;
}

/** Provider connections and the hooks Hookbench manages through them. */
export interface ConnectionSummary {
  id: string;
  provider: Provider;
  /** The REST root the token is used against. */
  baseUrl: string;
  /** Who the token belongs to. */
  login: string;
  accountId: string | null;
  /** null when the provider does not list them (GitHub fine-grained tokens). */
  scopes: string[] | null;
  /** Whether the scopes allow creating and deleting hooks; null when only trying will tell. */
  canManageHooks: boolean | null;
  serverVersion: string | null;
  expiresAt: number | null;
  createdAt: number;
  packages: number;
}

export interface ConnectionAdded extends ConnectionSummary {
  /** What the token may not be able to do, and how to fix it. */
  warnings: string[];
}

export interface HookUpstream {
  providerHookId: string | null;
  /** The next rotation step (and where a failed rotation stopped); null when no rotation is under way. */
  rotationStep: 'delete_old' | 'create_new' | null;
  rotationError: string | null;
  /** The previous secret still verifies: until this time, or (null) until the new upstream hook exists. */
  previousSecretValid: boolean;
  previousSecretExpiresAt: number | null;
  checkedAt: number | null;
}

export interface PackageConnected extends PackageCreated {
  connectionId: string;
  repo: string;
  repoId: string;
  /** False when the hook could not be created upstream; hook.statusReason says what is missing and how to fix it. */
  registered: boolean;
  hook: { status: HookStatus; statusReason: string | null; providerHookId: string | null };
}

export interface HookRotation {
  id: string;
  /** upstream: Hookbench re-created the hook through the connection; manual: paste the new secret yourself. */
  mode: 'upstream' | 'manual';
  completed: boolean;
  /** Where an unfinished rotation stopped; run the rotation again to resume from there. */
  stoppedAt: 'delete_old' | 'create_new' | null;
  error: string | null;
  hookUrl: string;
  /** Shown once. */
  secret: string;
  signingToken: string;
  providerHookId: string | null;
  /** The previous secret keeps verifying until then (manual), or until the new hook exists (upstream: null). */
  previousSecretValidUntil: number | null;
  message: string;
}

export interface PingResult {
  id: string;
  requestedAt: number;
  arrived: boolean;
  verified: boolean;
  delivery: DeliverySummary | null;
  /** What the provider recorded for the ping, when it did not arrive. */
  provider: ProviderDelivery | null;
  message: string;
}

export interface ProviderDelivery {
  id: string;
  guid: string;
  deliveredAt: number;
  redelivery: boolean;
  event: string;
  action: string | null;
  statusCode: number;
  status: string;
  durationMs: number | null;
  /** Hookbench's record of the same delivery id, when it has one. */
  hookbench: DeliverySummary | null;
}

export interface ProviderDeliveries {
  id: string;
  provider: Provider;
  supported: boolean;
  message: string | null;
  deliveries: ProviderDelivery[];
  /** Pass back as cursor for the next (older) page. */
  nextCursor: string | null;
}

export interface CatchUpResult {
  id: string;
  redelivered: { guid: string; providerDeliveryId: string; event: string; tag: string | null }[];
  /** Failed provider deliveries not redelivered, and why. */
  notRedelivered: { guid: string; event: string; reason: string }[];
  tagsSeen: number;
  reconciled: { tag: string; deliveryId: number; outcome: DeliveryOutcome; releaseId: number | null; reason: string | null }[];
  notSemver: string[];
  messages: string[];
}

export interface UpstreamCheck {
  packageId: string;
  checked: boolean;
  status: HookStatus;
  statusReason: string | null;
  changed: boolean;
  error: string | null;
}
