export interface DialectInfo {
  name: string;
  label: string;
  headers: string[];
  secret: string;
  /** How the signed timestamp is written, when the dialect signs one. */
  timestampFormat: 'unix-seconds' | 'iso-8601' | null;
  events: { name: string; variant?: string | undefined; description: string }[];
  retry: { delaysSeconds: number[]; disableAfterExhausted: boolean; description: string };
}

export type Cause =
  | 'wrong_secret'
  | 'body_reserialized'
  | 'body_changed'
  | 'form_vs_json'
  | 'secret_encoding'
  | 'hex_vs_base64'
  | 'prefix'
  | 'timestamp'
  | 'timestamp_unit'
  | 'malformed_timestamp'
  | 'malformed_signature'
  | 'legacy_signature'
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
  /** The bytes the signature covers: the body as received, or the reconstruction that matched. */
  signedBytes: SafeBytes | null;
  /** Which reconstruction of the body the signature matched (then Expected and the signed bytes are for it). */
  reconstruction: string | null;
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
  /** What could not be tried, and why (a body too deep to re-serialize, a bound on how many secrets). */
  untried: string[];
}

export interface SignedRequest {
  headers: Record<string, string>;
  signedBytes: SafeBytes;
  /** A cURL command that sends the body with these headers (body read from a file). */
  curl: string;
}
