import type { Provider, Verdict, VerdictDetail } from '../../../shared/types';
import { getDialect, type VerifyResult as DialectVerifyResult } from '../dialects';
import type { HeaderList } from './headers';

export interface VerifyResult {
  ok: boolean;
  verdict: Verdict;
  detail: VerdictDetail;
}

export interface HookSecrets {
  secret: string;
  /** GitLab's Standard-Webhooks signing token for the same hook. */
  signingToken: string;
}

/** Which header a provider's verdict is about, for the record and the debugger. */
function checkedHeader(provider: Provider, headers: HeaderList, result: DialectVerifyResult): { header: string; scheme: string } {
  // The SHA-1 header alone is refused, but it is what the verdict is about.
  if (result.problem === 'legacy_signature') return { header: 'X-Hub-Signature', scheme: 'github-sha1' };
  if (provider === 'github') return { header: 'X-Hub-Signature-256', scheme: 'github' };
  return headers.get('webhook-signature') !== undefined
    ? { header: 'webhook-signature', scheme: 'standard-webhooks' }
    : { header: 'X-Gitlab-Token', scheme: 'gitlab' };
}

/**
 * An inbound delivery checked on its raw bytes by the provider's dialect, the same
 * code the signature debugger and the sender use.
 */
export function verifyDelivery(provider: Provider, headers: HeaderList, body: Buffer, secrets: HookSecrets, nowMs: number): VerifyResult {
  const candidates = provider === 'gitlab' ? [secrets.secret, secrets.signingToken] : [secrets.secret];
  const result = getDialect(provider).verify(headers, body, candidates, Math.floor(nowMs / 1000));
  const verdict: Verdict = result.ok ? 'valid' : result.received === null && result.expected === null ? 'missing' : 'invalid';
  return {
    ok: result.ok,
    verdict,
    detail: { ...checkedHeader(provider, headers, result), expected: result.expected, received: result.received, reason: result.reason },
  };
}

/**
 * The request carries none of the headers the provider signs with, so it is refused whatever
 * its body says ("missing"): decided from the headers alone, before the body is read.
 */
export function signatureAbsent(provider: Provider, headers: HeaderList): boolean {
  const names = provider === 'github' ? ['X-Hub-Signature-256'] : ['webhook-signature', 'X-Gitlab-Token'];
  return names.every((name) => headers.get(name) === undefined);
}
