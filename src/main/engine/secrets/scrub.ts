import { HIDDEN } from '../../../shared/secret-headers';

/** Shorter values are too likely to occur by chance to be worth hiding. */
const MIN_LENGTH = 6;

/**
 * A result with every occurrence of these secrets in its text replaced by HIDDEN: for
 * results (a diagnosis, an error) built from a request whose credentials were opened.
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const hidden = [...new Set(secrets.filter((s) => s.length >= MIN_LENGTH))].sort((a, b) => b.length - a.length);
  if (hidden.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return hidden.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(HIDDEN) : text), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
