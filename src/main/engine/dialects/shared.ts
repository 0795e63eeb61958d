import { createHmac, randomBytes } from 'node:crypto';
import type { HeaderList } from '../receiver/headers';
import { hmacSha256, safeEqual } from '../signature/hmac';
import { describeShape, fitsShape, shapeProblem, timestampFormProblem, type SignatureShape } from './shape';
import type { DialectEvent, RetryPolicy, TimestampRule, VerifyOptions, VerifyProblem, VerifyResult } from './types';

export const DEFAULT_TOLERANCE_SECONDS = 300;

// ---- bytes and HMACs -------------------------------------------------------

export function bytes(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

export const hmacHex = (key: string | Buffer, data: Buffer): string => hmacSha256(key, data).toString('hex');
export const hmacBase64 = (key: string | Buffer, data: Buffer): string => hmacSha256(key, data).toString('base64');
export const hmacSha1Hex = (key: string | Buffer, data: Buffer): string =>
  createHmac('sha1', key).update(data).digest('hex');

/** `whsec_<base64>` → key bytes (the prefix is optional, as in the Standard Webhooks libraries). */
export function whsecKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export const randomHex = (n: number): string => randomBytes(n).toString('hex');
export const randomBase64 = (n: number): string => randomBytes(n).toString('base64');
export const randomBase64Url = (n: number): string => randomBytes(n).toString('base64url');

// ---- retry schedules -------------------------------------------------------

/** Svix's schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const SVIX_DELAYS_SECONDS = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

export function defaultRetry(note: string): RetryPolicy {
  return {
    delaysSeconds: [...SVIX_DELAYS_SECONDS],
    disableAfterExhausted: false,
    description:
      `${note} Hookbench's default, Svix-like schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h ` +
      '(about 27 h in all); the message then fails and the endpoint stays enabled.',
  };
}

// ---- headers -----------------------------------------------------------------

export const has = (headers: HeaderList, ...names: string[]): boolean =>
  names.some((n) => headers.get(n) !== undefined);

/** Exactly one value of a header, or why not. */
export function oneHeader(headers: HeaderList, name: string): { value: string } | { problem: string } {
  const values = headers.all(name);
  if (values.length === 0) return { problem: `${name} is missing.` };
  if (values.length > 1) return { problem: `${name} was sent ${values.length} times; a proxy may have added a copy.` };
  return { value: values[0]! };
}

/** The first header of `names` that is present, read with oneHeader. */
export function firstHeader(headers: HeaderList, names: string[]): { name: string; value: string } | { problem: string } {
  const name = names.find((n) => headers.get(n) !== undefined);
  if (name === undefined) return { problem: `${names.join(' / ')} is missing.` };
  const one = oneHeader(headers, name);
  return 'value' in one ? { name, value: one.value } : one;
}

// ---- verdicts ----------------------------------------------------------------

interface Extra {
  expected?: string | null;
  received?: string | null;
  skewSeconds?: number | undefined;
  problem?: VerifyProblem;
}

export function fail(reason: string, extra: Extra = {}): VerifyResult {
  const base: VerifyResult = { ok: false, reason, expected: extra.expected ?? null, received: extra.received ?? null, matchedSecretIndex: null };
  if (extra.skewSeconds !== undefined) base.skewSeconds = extra.skewSeconds;
  if (extra.problem) base.problem = extra.problem;
  return base;
}

/** Why none of the received values is in the dialect's form, or null when one is. */
function malformed(header: string, shape: SignatureShape, values: string[]): string | null {
  if (values.some((v) => fitsShape(shape, v))) return null;
  return `${header} is malformed: ${shapeProblem(shape, values[0] ?? '')}; expected ${describeShape(shape)}.`;
}

export const NO_SECRETS = fail('No secret is configured, so the signature cannot be checked.');

/**
 * Compares every received signature with the one expected under every secret, without stopping
 * at the first match, in constant time per comparison.
 */
export function matchSecrets(
  secrets: string[],
  received: string[],
  expectedFor: (secret: string) => string,
): { index: number | null; expected: string | null } {
  let index: number | null = null;
  let expected: string | null = null;
  secrets.forEach((secret, i) => {
    const candidate = expectedFor(secret);
    if (i === 0) expected = candidate;
    let hit = false;
    for (const r of received) hit = safeEqual(r, candidate) || hit;
    if (hit && index === null) {
      index = i;
      expected = candidate;
    }
  });
  return { index, expected };
}

/** Signature over the body only (no timestamp): one header, hex or base64. */
export function verifyBodySignature(args: {
  secrets: string[];
  header: string;
  value: string;
  expectedFor: (secret: string) => string;
  shape: SignatureShape;
}): VerifyResult {
  const { secrets, header, value } = args;
  if (secrets.length === 0) return NO_SECRETS;
  const { index, expected } = matchSecrets(secrets, [value], args.expectedFor);
  if (index !== null) {
    const reason = index === 0 ? 'Signature matches.' : `Signature matches secret #${index + 1} (a rotation is under way).`;
    return { ok: true, reason, expected, received: value, matchedSecretIndex: index };
  }
  const bad = malformed(header, args.shape, [value]);
  if (bad) return fail(bad, { expected, received: value, problem: 'malformed_signature' });
  return fail(`${header} does not match the body: the sender's secret differs, or the body was changed on the way.`, { expected, received: value });
}

/** The common case: one signature header over the body alone. */
export function verifySignatureHeader(headers: HeaderList, args: Omit<Parameters<typeof verifyBodySignature>[0], 'value'>): VerifyResult {
  const sig = oneHeader(headers, args.header);
  if ('problem' in sig) return fail(sig.problem);
  return verifyBodySignature({ ...args, value: sig.value });
}

// ---- timestamps --------------------------------------------------------------

/** The signed timestamp header, read and parsed, or the verdict that it is unusable. */
export function signedTimestamp(
  headers: HeaderList,
  rule: TimestampRule,
  signatureHeader: string,
  received: string,
): { raw: string; seconds: number } | { failed: VerifyResult } {
  const ts = oneHeader(headers, rule.header);
  if ('problem' in ts) return { failed: fail(`${ts.problem} ${signatureHeader} cannot be checked without it.`, { received }) };
  const seconds = parseTimestamp(rule, ts.value);
  if (seconds === null) return { failed: badTimestamp(rule, ts.value, received) };
  return { raw: ts.value, seconds };
}

/** The verdict on a timestamp that is not in the dialect's form: it is part of what was signed, so nothing can be checked. */
export function badTimestamp(rule: TimestampRule, raw: string, received: string): VerifyResult {
  return fail(timestampFormProblem(rule, raw), { received, problem: 'malformed_timestamp' });
}

export function parseTimestamp(rule: TimestampRule, raw: string): number | null {
  if (rule.format === 'unix-seconds') return /^\d{1,12}$/.test(raw) ? Number(raw) : null;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$/;
  if (!iso.test(raw)) return null;
  const ms = Date.parse(raw.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** Why the timestamp is outside the tolerance, or null when it is fine. `skew` = now − timestamp. */
export function timestampProblem(rule: TimestampRule, skew: number, options?: VerifyOptions): string | null {
  const tolerance = options?.toleranceSeconds ?? rule.toleranceSeconds;
  const where = `${rule.header} is ${Math.abs(skew)} s`;
  if (skew > tolerance) return `${where} old; the tolerance is ${tolerance} s. Check the clocks, or this is a replay.`;
  if (rule.rejects === 'old-and-future' && -skew > tolerance) {
    return `${where} in the future; the tolerance is ${tolerance} s. Check the clocks.`;
  }
  return null;
}

/** Signature over something that includes a timestamp: match first, then the tolerance. */
export function verifyTimestamped(args: {
  secrets: string[];
  rule: TimestampRule;
  timestamp: number;
  nowSeconds: number;
  options: VerifyOptions | undefined;
  header: string;
  received: string;
  candidates: string[];
  expectedFor: (secret: string) => string;
  shape: SignatureShape;
}): VerifyResult {
  const { secrets, received } = args;
  if (secrets.length === 0) return NO_SECRETS;
  const skewSeconds = args.nowSeconds - args.timestamp;
  const { index, expected } = matchSecrets(secrets, args.candidates, args.expectedFor);
  if (index === null) {
    const bad = malformed(args.header, args.shape, args.candidates);
    if (bad) return fail(bad, { expected, received, skewSeconds, problem: 'malformed_signature' });
    const reason = `${args.header} does not match: the sender's secret differs, or the body or timestamp was changed on the way.`;
    return fail(reason, { expected, received, skewSeconds });
  }
  const late = timestampProblem(args.rule, skewSeconds, args.options);
  if (late) return fail(late, { expected, received, skewSeconds });
  const reason = index === 0 ? 'Signature matches.' : `Signature matches secret #${index + 1} (a rotation is under way).`;
  return { ok: true, reason, expected, received, matchedSecretIndex: index, skewSeconds };
}

/**
 * The common timestamped case: one signature header and one timestamp header, the signature
 * computed from the raw timestamp and the body.
 */
export function verifySignatureWithTimestamp(
  headers: HeaderList,
  body: Buffer,
  args: {
    secrets: string[];
    nowSeconds: number;
    options: VerifyOptions | undefined;
    header: string;
    rule: TimestampRule;
    expectedFor: (secret: string, rawTimestamp: string, body: Buffer) => string;
    shape: SignatureShape;
  },
): VerifyResult {
  const sig = oneHeader(headers, args.header);
  if ('problem' in sig) return fail(sig.problem);
  const ts = signedTimestamp(headers, args.rule, args.header, sig.value);
  if ('failed' in ts) return ts.failed;
  return verifyTimestamped({
    secrets: args.secrets,
    rule: args.rule,
    timestamp: ts.seconds,
    nowSeconds: args.nowSeconds,
    options: args.options,
    header: args.header,
    received: sig.value,
    candidates: [sig.value],
    expectedFor: (secret) => args.expectedFor(secret, ts.raw, body),
    shape: args.shape,
  });
}

export function event(name: string, description: string, sample: () => unknown, variant?: string): DialectEvent {
  return variant === undefined ? { name, description, sample } : { name, variant, description, sample };
}
