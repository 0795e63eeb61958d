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
  | 'tunnel_stalled'
  | 'tunnel_gap';

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

// The rest of the contract's types, one file per area.
export * from './outbound-types';
export * from './signature-types';
export * from './replay-types';
export * from './provider-types';
