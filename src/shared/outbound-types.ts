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
  /** The message's event, so a page of attempts names it without the message at hand. */
  event: string;
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
