import type { InboxForwardResult } from './inbox-types';
export type CapturedRef = `delivery:${number}` | `attempt:${number}` | `fixture:${number}` | string;

/** A stored request exactly as it was received or sent: headers in order, body bytes. */
export interface CapturedView {
  ref: string;
  headers: [string, string][];
  bodyBase64: string;
  size: number;
  contentType: string | null;
  /** Where it was sent (attempts). */
  url: string | null;
  event: string | null;
  /** An inbox capture passed on to its forward targets: each target's answer; empty otherwise. */
  forwards: InboxForwardResult[];
}

/** A credential header of a stored request, revealed on purpose. */
export interface RevealedHeader {
  ref: string;
  /** The header's name as stored. */
  header: string;
  /** Every value sent under that name, in order. */
  values: string[];
}

export interface ReplayOptions {
  /** A URL, or omitted to replay into this Hookbench's own receiver (the original hook, or `packageId`'s). */
  to?: string | undefined;
  packageId?: string | undefined;
  /** Into an inbox (an inbox capture goes back into its own when no target is given). */
  inboxId?: string | undefined;
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

/** What a replay would send, built exactly as the send builds it. */
export interface ReplayPreview {
  /** A URL, or hookbench:/hooks/ID for this Hookbench's own receiver. */
  targetUrl: string;
  /** The method it goes with: an inbox capture's own into an inbox or to a URL, POST into a package's hook. */
  method: string;
  headers: [string, string][];
  bodyBase64: string;
  size: number;
  /** The dialect that signs it, or null when it goes without a new signature. */
  signedAs: string | null;
  notes: string[];
  /** Into this Hookbench: what the replay sets off (a release published, endpoints sent to); null for a URL. */
  effect?: ReplayEffect | null;
}

/** What a replay into a package's receiver will do there, worked out before it is sent. */
export interface ReplayEffect {
  packageId: string;
  packageName: string;
  outcome: 'rejected' | 'duplicate' | 'ping' | 'ignored' | 'skipped' | 'unchanged' | 'publishes' | 'checks_failed' | 'tag_deleted';
  /** The engine event endpoints are sent, if any. */
  event: string | null;
  /** Active endpoints subscribed to that event. */
  endpoints: number;
  /** Endpoints relaying this package's raw deliveries. */
  relays: number;
  /** In a sentence, for the dialog and `replay --dry-run`. */
  text: string;
}

export interface ReplayView {
  id: number;
  source: string;
  mode: 'exact' | 'resign' | 'edit';
  /** What it was sent with: an inbox capture's (or its fixture's) own method, else POST. */
  method: string;
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
  /** Saved from an inbox capture: the method and the path after the inbox's address (query included) it came with; fired, it goes with both. null: a plain POST. */
  method: string | null;
  path: string | null;
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
  /** Records left out because an earlier import stored them already (present only when there were some). */
  alreadyStored?: number;
}
