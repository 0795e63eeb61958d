import type { Dialect } from '../dialects';
import type { HeaderList } from '../receiver/headers';

/** A secret Hookbench holds for something else (another package, an endpoint), and what to call it. */
export interface KnownSecret {
  secret: string;
  label: string;
}

/** Enough for every package a person keeps; each costs one HMAC over the body. */
const MAX_SECRETS = 500;
/** The bytes hashed in all, so a 25 MiB body is checked against fewer secrets than a 2 KiB one. */
const MAX_BYTES_HASHED = 256 * 1024 * 1024;
const ANY_AGE = { toleranceSeconds: Number.MAX_SAFE_INTEGER };

export interface ElsewhereResult {
  match: KnownSecret | null;
  /** Set when not every known secret was tried. */
  untried: string | null;
}

/**
 * Whose secret signed this request, among the other secrets Hookbench holds: tried on the bytes
 * as received only, and bounded, so a large body or many packages stay quick.
 */
export function matchElsewhere(d: Dialect, headers: HeaderList, body: Buffer, known: KnownSecret[], nowSeconds: number): ElsewhereResult {
  if (known.length === 0) return { match: null, untried: null };
  const limit = Math.min(known.length, MAX_SECRETS, Math.max(1, Math.floor(MAX_BYTES_HASHED / Math.max(body.length, 1))));
  const tried = known.slice(0, limit);
  const result = d.verify(headers, body, tried.map((k) => k.secret), nowSeconds, ANY_AGE);
  const match = result.ok && result.matchedSecretIndex !== null ? tried[result.matchedSecretIndex]! : null;
  const rest = known.length - limit;
  const untried = rest > 0 ? `${rest} of the ${known.length} other secrets Hookbench holds: at most ${limit} are tried against a body of this size.` : null;
  return { match, untried };
}
