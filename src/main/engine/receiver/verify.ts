import type { Provider, Verdict, VerdictDetail } from '../../../shared/types';
import { fingerprint, hmacSha256, safeEqual } from '../signature/hmac';
import type { HeaderList } from './headers';

export interface VerifyResult {
  ok: boolean;
  verdict: Verdict;
  detail: VerdictDetail;
}

/** GitLab's Standard-Webhooks signing tolerates this much clock skew either way. */
export const TIMESTAMP_TOLERANCE_S = 300;

function detail(
  header: string | null,
  scheme: string | null,
  expected: string | null,
  received: string | null,
  reason: string,
): VerdictDetail {
  return { header, scheme, expected, received, reason };
}

function single(headers: HeaderList, name: string): { value?: string; repeated: boolean } {
  const values = headers.all(name);
  return { value: values[0], repeated: values.length > 1 };
}

export function verifyGitHub(headers: HeaderList, body: Buffer, secret: string): VerifyResult {
  const name = 'X-Hub-Signature-256';
  const { value, repeated } = single(headers, name);
  if (value === undefined) {
    const legacy = headers.get('X-Hub-Signature') !== undefined;
    const reason = legacy
      ? `${name} is missing; only the legacy SHA-1 X-Hub-Signature was sent, which Hookbench does not accept.`
      : `${name} is missing: the hook on GitHub has no secret, or the request did not come from GitHub.`;
    return { ok: false, verdict: 'missing', detail: detail(name, 'github', null, null, reason) };
  }
  const expected = 'sha256=' + hmacSha256(secret, body).toString('hex');
  if (repeated) {
    return {
      ok: false,
      verdict: 'invalid',
      detail: detail(name, 'github', expected, value, `${name} was sent more than once; a proxy may have added a copy.`),
    };
  }
  if (safeEqual(value, expected)) {
    return { ok: true, verdict: 'valid', detail: detail(name, 'github', expected, value, 'Signature matches.') };
  }
  const reason = /^sha256=[0-9a-f]{64}$/.test(value)
    ? `${name} does not match the body: the secret on GitHub differs from this hook's, or the body was changed on the way.`
    : `${name} is malformed: expected "sha256=" followed by 64 lowercase hex digits.`;
  return { ok: false, verdict: 'invalid', detail: detail(name, 'github', expected, value, reason) };
}

/** The GitLab signing token is `whsec_` + base64 of the key bytes. */
export function signingKeyFromToken(token: string): Buffer {
  return Buffer.from(token.startsWith('whsec_') ? token.slice(6) : token, 'base64');
}

function verifyStandardWebhooks(
  headers: HeaderList,
  body: Buffer,
  signingToken: string,
  nowMs: number,
): VerifyResult {
  const name = 'webhook-signature';
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const received = headers.get(name) ?? '';
  if (!id || !timestamp) {
    const missing = !id ? 'webhook-id' : 'webhook-timestamp';
    return {
      ok: false,
      verdict: 'missing',
      detail: detail(missing, 'standard-webhooks', null, received, `${missing} is missing, so ${name} cannot be checked.`),
    };
  }
  const expected = 'v1,' + hmacSha256(signingKeyFromToken(signingToken), `${id}.${timestamp}.`, body).toString('base64');
  const candidates = received.split(' ').filter(Boolean);
  if (!candidates.some((c) => safeEqual(c, expected))) {
    return {
      ok: false,
      verdict: 'invalid',
      detail: detail(name, 'standard-webhooks', expected, received, `${name} does not match: the signing token on GitLab differs from this hook's, or the body was changed.`),
    };
  }
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(skew) > TIMESTAMP_TOLERANCE_S) {
    const reason = /^\d+$/.test(timestamp)
      ? `webhook-timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; the tolerance is ${TIMESTAMP_TOLERANCE_S} s. Check the clocks, or this is a replay.`
      : 'webhook-timestamp is not a unix time in seconds.';
    return { ok: false, verdict: 'invalid', detail: detail('webhook-timestamp', 'standard-webhooks', expected, received, reason) };
  }
  return { ok: true, verdict: 'valid', detail: detail(name, 'standard-webhooks', expected, received, 'Signature matches.') };
}

function verifyGitLabToken(headers: HeaderList, token: string): VerifyResult {
  const name = 'X-Gitlab-Token';
  const { value, repeated } = single(headers, name);
  if (value === undefined) {
    return {
      ok: false,
      verdict: 'missing',
      detail: detail(name, 'gitlab', null, null, `Neither ${name} nor webhook-signature was sent: the hook on GitLab has no secret token.`),
    };
  }
  // The token is the secret itself: keep fingerprints, never the values.
  const expected = fingerprint(token);
  const received = fingerprint(value);
  if (!repeated && safeEqual(value, token)) {
    return { ok: true, verdict: 'valid', detail: detail(name, 'gitlab', expected, received, 'Token matches.') };
  }
  const reason = repeated
    ? `${name} was sent more than once.`
    : `${name} does not match this hook's secret token (${value.length} characters received).`;
  return { ok: false, verdict: 'invalid', detail: detail(name, 'gitlab', expected, received, reason) };
}

export interface HookSecrets {
  secret: string;
  signingToken: string;
}

export function verifyDelivery(
  provider: Provider,
  headers: HeaderList,
  body: Buffer,
  secrets: HookSecrets,
  nowMs: number,
): VerifyResult {
  if (provider === 'github') return verifyGitHub(headers, body, secrets.secret);
  if (headers.get('webhook-signature') !== undefined) {
    return verifyStandardWebhooks(headers, body, secrets.signingToken, nowMs);
  }
  return verifyGitLabToken(headers, secrets.secret);
}
