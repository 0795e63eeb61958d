import type { InboxAnswer, InboxForwardTarget } from './inbox-types';
import type { HookUpstream } from './provider-types';

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
  /** The latest release's tag: the highest published stable version (see `latest`). */
  latestRelease: string | null;
  /** The highest published stable version; the highest prerelease only when no stable one exists. */
  latest: LatestRelease | null;
  /** Set when Hookbench manages the hook upstream through a connection. */
  connectionId?: string | null;
  upstream?: HookUpstream;
}

export interface LatestRelease {
  tag: string;
  version: string;
  /** True only when the package has no published stable release yet. */
  prerelease: boolean;
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
  | 'tag_deleted'
  /** Received by an inbox: kept for inspection, never ingested. */
  | 'captured';

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
  /** Inbox captures: the method and the path after the inbox address, query included; null for package hooks. */
  method?: string | null;
  path?: string | null;
  /** The receiving address: a package's hook id or an inbox id. */
  hookId?: string;
}

export interface DeliveryDetail extends DeliverySummary {
  hookId: string;
  remoteAddress: string | null;
  contentType: string | null;
  headers: [string, string][];
  bodyBase64: string;
  /** Only the body's first bytes were kept (a refused request); bodySize is its full length. */
  bodyTruncated: boolean;
  verdictDetail: VerdictDetail | null;
  duplicateOf: number | null;
  releaseId: number | null;
  /** Marked "keep": retention never prunes it. */
  keptAt?: number | null;
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
  | 'tunnel_stalled'
  | 'secret_revealed'
  | 'secrets_reset'
  | 'tunnel_removed'
  | 'hook_url_changed'
  | 'endpoint_added'
  | 'endpoint_removed'
  | 'endpoint_enabled'
  | 'endpoint_disabled'
  | 'endpoint_auto_disabled'
  | 'endpoint_secret_rotated'
  | 'resent'
  | 'replayed'
  | 'tunnel_gap'
  | 'disk_full'
  | 'pruned';

export interface ActivityEntry {
  id: number;
  at: number;
  packageId: string | null;
  /** The package's name when this happened (kept after the package is removed). */
  packageName: string | null;
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

// The rest of the contract's types, one file per area.
export * from './outbound-types';
export * from './signature-types';
export * from './replay-types';
export * from './provider-types';
export * from './storage-types';

/** What `secrets reset` replaced: each new secret is shown here once. */
export interface SecretsReset {
  keyFile: string;
  hooks: { packageId: string; name: string; hookUrl: string; secret: string; signingToken: string; managedUpstream: boolean }[];
  endpoints: { id: string; name: string; secret: string }[];
  inboxes: { id: string; name: string; url: string; secret: string }[];
  /** Rotations cut short: the secret being replaced could not be opened, the new one stays. */
  previousDropped: number;
  removedConnections: { id: string; detachedPackages: string[] }[];
}

/** A receiving address for any sender; its captures are deliveries with its id as their hook id. */
export interface InboxSummary {
  id: string;
  name: string;
  /** A dialect name, or 'none' (captured without checking). */
  dialect: string;
  /** null: the dialect's own tolerance. */
  toleranceSeconds: number | null;
  url: string;
  createdAt: number;
  captures: number;
  lastCaptureAt: number | null;
  answer: InboxAnswer;
  forwards: InboxForwardTarget[];
  /** When the previous secret stops verifying after a rotation; null: no overlap. */
  previousSecretUntil: number | null;
}

/** The secret is shown here once, never again. */
export interface InboxCreated {
  id: string;
  url: string;
  secret: string | null;
}
