/**
 * Turns a body smee re-serialized back into the bytes the provider signed, when it can:
 * each reconstruction is verified with the hook's own secret, and the first that
 * reproduces the signature is the one stored (and named on the delivery).
 */
import type { Provider } from '../../../shared/types';
import type { HeaderList } from '../receiver/headers';
import { verifyDelivery, type HookSecrets, type VerifyResult } from '../receiver/verify';
import { FORM_ADVICE, DIRECT_MODE_HINT } from './limits';
import { firstReconstruction, isFormContentType, reconstructions } from './reconstruct';

export type Recovery =
  /** A reconstruction reproduces the signature; `body` is the provider's original bytes. */
  | { kind: 'verified'; body: Buffer; reconstruction: string; tried: number }
  /** The signature does not cover the body (GitLab's token) or is absent: the receiver decides. */
  | { kind: 'unsigned'; body: Buffer; reconstruction: string }
  /** Nothing reproduces the signature: the tunnel changed the body beyond rebuilding (or the secret differs). */
  | { kind: 'changed'; body: Buffer; check: VerifyResult; tried: string[]; reason: string }
  /** smee relayed no usable body at all. */
  | { kind: 'dropped'; body: Buffer; reason: string; status: number };

function signatureHeaderOf(provider: Provider, headers: HeaderList): string | null {
  if (provider === 'github') return 'X-Hub-Signature-256';
  return headers.get('webhook-signature') !== undefined ? 'webhook-signature' : null;
}

/** Verify as of the signed timestamp: here only the bytes matter; the receiver checks the age. */
function signedAtMs(headers: HeaderList, nowMs: number): number {
  const ts = headers.get('webhook-timestamp');
  return ts && /^\d{1,12}$/.test(ts) ? Number(ts) * 1000 : nowMs;
}

/** How a request's signature is checked while its body is being rebuilt. */
export interface RecoveryCheck {
  /** The header the signature travels in; null: the body is not signed (a token, or nothing). */
  header: string | null;
  verify(body: Buffer, atMs: number): VerifyResult;
}

/** A package hook's check: the provider's own verification with the hook's secrets. */
export function hookCheck(provider: Provider, headers: HeaderList, secrets: HookSecrets): RecoveryCheck {
  return { header: signatureHeaderOf(provider, headers), verify: (body, at) => verifyDelivery(provider, headers, body, secrets, at) };
}

export function recoverBody(provider: Provider, headers: HeaderList, parsed: unknown, secrets: HookSecrets, nowMs: number): Recovery {
  return recoverSignedBody(hookCheck(provider, headers, secrets), headers, parsed, nowMs);
}

/** The bytes that reproduce the signature `check` verifies, when some rebuild of smee's parsed body does. */
export function recoverSignedBody(check: RecoveryCheck, headers: HeaderList, parsed: unknown, nowMs: number): Recovery {
  const contentType = headers.get('content-type');
  const first = firstReconstruction(parsed, contentType);
  if (!first) {
    return isFormContentType(contentType)
      ? {
          kind: 'dropped',
          body: Buffer.alloc(0),
          status: 415,
          reason: `The tunnel dropped the body: this hook sends application/x-www-form-urlencoded, and smee relays only JSON, so none of the body arrived. ${FORM_ADVICE}`,
        }
      : { kind: 'dropped', body: Buffer.alloc(0), status: 400, reason: `smee relayed this request without a body; nothing can be verified or ingested. If this persists, ${DIRECT_MODE_HINT}.` };
  }
  const { header } = check;
  if (header === null || headers.all(header).length !== 1) return { kind: 'unsigned', body: first.body, reconstruction: first.name };

  const at = signedAtMs(headers, nowMs);
  const firstCheck = check.verify(first.body, at);
  if (firstCheck.ok) return { kind: 'verified', body: first.body, reconstruction: first.name, tried: 1 };
  if (firstCheck.verdict !== 'invalid') return { kind: 'unsigned', body: first.body, reconstruction: first.name };

  // The provider's Content-Length survives in smee's event: rebuilds of that length go first.
  const originalLength = Number(headers.get('content-length') ?? NaN);
  // Only now is the rest rebuilt: most bodies verify as relayed.
  const rest = reconstructions(parsed, contentType).slice(1).sort((a, b) => Number(b.body.length === originalLength) - Number(a.body.length === originalLength));
  const tried = [first.name];
  for (const candidate of rest) {
    tried.push(candidate.name);
    if (check.verify(candidate.body, at).ok) {
      return { kind: 'verified', body: candidate.body, reconstruction: candidate.name, tried: tried.length };
    }
  }
  const sizes = Number.isFinite(originalLength)
    ? ` The provider sent ${originalLength} bytes; smee relayed ${first.body.length}.`
    : '';
  const reason =
    `The tunnel changed the body: smee re-serializes JSON (it relays JSON.stringify of the parsed body, not the bytes that were signed), ` +
    `and none of the ${tried.length} reconstructions tried (${tried.slice(0, 4).join('; ')}; …) reproduces ${header}.${sizes} ` +
    `Either the provider's serializer wrote something a parser does not keep (a number such as 1.0, a duplicate key, unusual spacing), or the secret differs. ` +
    `To verify the exact bytes, ${DIRECT_MODE_HINT}.`;
  return { kind: 'changed', body: first.body, check: firstCheck, tried, reason };
}
