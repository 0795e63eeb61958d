import type { Verdict, VerdictDetail } from '../../../shared/types';
import { getDialect } from '../dialects';
import type { HeaderList } from '../receiver/headers';
import { previousSecretAccepted, signedWithPrevious, type RotatedSecrets } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import { NO_DIALECT } from './inboxes';

export interface CaptureCheck {
  verdict: Verdict;
  detail: VerdictDetail | null;
}

/** The signature header the verdict is about: the first of the dialect's signature headers present. */
function signatureHeader(headerNames: string[], headers: HeaderList): string | null {
  const signing = headerNames.filter((name) => /signature|hmac|token/i.test(name));
  return signing.find((name) => headers.get(name) !== undefined) ?? signing[0] ?? null;
}

/**
 * A capture checked on its raw bytes by the inbox's dialect, the same code the sender and the
 * signature debugger use. Dialect `none` is captured unchecked. `previous` is the secret a
 * rotation replaced, while its overlap lasts.
 */
export function verifyCapture(
  dialectName: string,
  headers: HeaderList,
  body: Buffer,
  secret: string | null,
  nowMs: number,
  toleranceSeconds: number | null,
  previous: string | null = null,
): CaptureCheck {
  if (dialectName === NO_DIALECT || secret === null) return { verdict: 'unchecked', detail: null };
  const dialect = getDialect(dialectName);
  const secrets = previous === null ? [secret] : [secret, previous];
  const result = dialect.verify(headers, body, secrets, Math.floor(nowMs / 1000), toleranceSeconds === null ? {} : { toleranceSeconds });
  const verdict: Verdict = result.ok ? 'valid' : result.received === null && result.expected === null ? 'missing' : 'invalid';
  const reason = result.ok && result.matchedSecretIndex === 1 ? signedWithPrevious('inbox') : result.reason;
  return {
    verdict,
    detail: { header: signatureHeader(dialect.headers, headers), scheme: dialect.name, expected: result.expected, received: result.received, reason },
  };
}

export interface InboxSecrets {
  secret: string | null;
  /** The secret a rotation replaced, while its overlap lasts at the time of the request. */
  previous: string | null;
}

/** The inbox's secrets opened for a request that arrived at `at`; throws when the key cannot open them. */
export function openInboxSecrets(inbox: RotatedSecrets & { secretSealed: string | null }, box: SecretBox, at: number): InboxSecrets {
  return {
    secret: inbox.secretSealed === null ? null : box.open(inbox.secretSealed),
    previous: inbox.previousSecretSealed && previousSecretAccepted(inbox, at) ? box.open(inbox.previousSecretSealed) : null,
  };
}
