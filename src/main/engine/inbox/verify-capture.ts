import type { Verdict, VerdictDetail } from '../../../shared/types';
import { getDialect } from '../dialects';
import type { HeaderList } from '../receiver/headers';
import { NO_DIALECT } from './inboxes';

export interface CaptureCheck {
  verdict: Verdict;
  detail: VerdictDetail | null;
}

/** The signature header the verdict is about: the first of the dialect's signature headers present. */
export function signatureHeader(headerNames: string[], headers: HeaderList): string | null {
  const signing = headerNames.filter((name) => /signature|hmac|token/i.test(name));
  return signing.find((name) => headers.get(name) !== undefined) ?? signing[0] ?? null;
}

/**
 * A capture checked on its raw bytes by the inbox's dialect, the same code the sender and the
 * signature debugger use. Dialect `none` is captured unchecked.
 */
export function verifyCapture(dialectName: string, headers: HeaderList, body: Buffer, secret: string | null, nowMs: number, toleranceSeconds: number | null): CaptureCheck {
  if (dialectName === NO_DIALECT || secret === null) return { verdict: 'unchecked', detail: null };
  const dialect = getDialect(dialectName);
  const result = dialect.verify(headers, body, [secret], Math.floor(nowMs / 1000), toleranceSeconds === null ? {} : { toleranceSeconds });
  const verdict: Verdict = result.ok ? 'valid' : result.received === null && result.expected === null ? 'missing' : 'invalid';
  return {
    verdict,
    detail: { header: signatureHeader(dialect.headers, headers), scheme: dialect.name, expected: result.expected, received: result.received, reason: result.reason },
  };
}
