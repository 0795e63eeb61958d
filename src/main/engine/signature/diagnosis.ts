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

const TEXT_CAP = 64 * 1024;

export function safeBytes(bytes: Buffer): SafeBytes {
  const shown = bytes.subarray(0, TEXT_CAP);
  const text = shown
    .toString('utf8')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
  return { length: bytes.length, base64: bytes.toString('base64'), text, truncated: bytes.length > TEXT_CAP };
}
