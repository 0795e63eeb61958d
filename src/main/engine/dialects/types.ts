import type { HeaderList } from '../receiver/headers';

export type DialectName =
  | 'github'
  | 'gitlab'
  | 'privato'
  | 'repsy'
  | 'sigmagit'
  | 'standard-webhooks'
  | 'stripe'
  | 'slack'
  | 'shopify'
  | 'gitea';

/**
 * How the configured secret string becomes the HMAC key:
 * - `raw`: the string's UTF-8 bytes;
 * - `base64url`: the string is base64url-decoded;
 * - `whsec-base64`: `whsec_` prefix stripped, the rest base64-decoded;
 * - `whsec-bytes`: the whole `whsec_…` string, prefix included, as UTF-8 bytes.
 */
export type SecretEncoding = 'raw' | 'base64url' | 'whsec-base64' | 'whsec-bytes';

export interface SecretFormat {
  encoding: SecretEncoding;
  description: string;
}

/** A signed timestamp travelling with the message, and how far it may drift. */
export interface TimestampRule {
  header: string;
  format: 'unix-seconds' | 'iso-8601';
  toleranceSeconds: number;
  /** `old`: only messages older than the tolerance fail; `old-and-future`: both directions. */
  rejects: 'old' | 'old-and-future';
}

export interface SignOptions {
  /** Unix seconds. */
  timestamp: number;
  /**
   * The timestamp exactly as it travels, signed byte for byte (a captured request being
   * reproduced); when absent it is written from `timestamp`.
   */
  timestampText?: string;
  /** Message id; sent in the dialect's id header when it has one. */
  id: string;
  /** Event name; sent in the dialect's event header when it has one. */
  event?: string;
}

export interface SignResult {
  /** Headers to send: signature headers plus the dialect's event/id/user-agent headers. */
  headers: Record<string, string>;
  /** The exact bytes that went into the HMAC (empty for token-only schemes). */
  signedBytes: Buffer;
}

export interface VerifyOptions {
  /** Overrides the dialect's default timestamp tolerance. */
  toleranceSeconds?: number;
}

export interface VerifyResult {
  ok: boolean;
  /** One sentence a person can act on. */
  reason: string;
  /** The signature value expected under the matched secret (else the first one). */
  expected: string | null;
  /** The signature value as received. */
  received: string | null;
  /** Which of the given secrets matched (rotation), or null. */
  matchedSecretIndex: number | null;
  /** now − signed timestamp, in seconds (positive: the message is old). Only for timestamped dialects. */
  skewSeconds?: number;
  /** When the request could not be checked as sent, what kind of problem stopped it. */
  problem?: VerifyProblem;
  /** For `legacy_signature`: which secret the weaker legacy signature matches, if any. */
  legacyMatchIndex?: number | null;
}

/**
 * - `malformed_signature`: the signature header is not in the dialect's form;
 * - `malformed_timestamp`: the signed timestamp is not in the dialect's form;
 * - `legacy_signature`: only an older, weaker signature (GitHub's SHA-1) was sent.
 */
export type VerifyProblem = 'malformed_signature' | 'malformed_timestamp' | 'legacy_signature';

export interface DialectEvent {
  /** The name as it travels (event header or payload type). */
  name: string;
  /** Tells apart samples that share one name, e.g. GitHub `push` of a tag vs a branch. */
  variant?: string;
  description: string;
  /** A realistic payload for this event; JSON-serializable. */
  sample(): unknown;
}

export interface RetryPolicy {
  /** Delay before each retry, after the previous failed attempt. */
  delaysSeconds: number[];
  /** Whether the endpoint is disabled once every retry of a message has failed. */
  disableAfterExhausted: boolean;
  description: string;
}

export interface Dialect {
  name: DialectName;
  label: string;
  /** Header names this dialect sends or reads. */
  headers: string[];
  secret: SecretFormat;
  /** The signed timestamp, when the dialect has one. */
  timestamp: TimestampRule | null;
  /** Higher wins when several dialects detect the same request (e.g. Gitea also sends GitHub's headers). */
  specificity: number;
  generateSecret(): string;
  sign(body: Buffer, secret: string, options: SignOptions): SignResult;
  verify(headers: HeaderList, body: Buffer, secrets: string[], nowSeconds: number, options?: VerifyOptions): VerifyResult;
  detect(headers: HeaderList): boolean;
  events: DialectEvent[];
  retry: RetryPolicy;
}
