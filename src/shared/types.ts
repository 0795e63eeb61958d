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
  | 'package_removed';

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
