import type { Dialect, VerifyResult } from '../dialects';
import type { HeaderList } from '../receiver/headers';
import type { Diagnosis } from './diagnosis';
import { signatureCores } from './key-variants';
import { signatureUnder, timestampOf } from './signed-bytes';

export interface ProblemInput {
  d: Dialect;
  headers: HeaderList;
  body: Buffer;
  secrets: string[];
  label: (i: number) => string;
  accepted: number;
}

/** GitHub's SHA-1 header came alone: say whether it matches, and that the sender must send SHA-256. */
export function explainLegacy(out: Diagnosis, result: VerifyResult, { label, accepted }: ProblemInput): Diagnosis {
  const index = result.legacyMatchIndex ?? null;
  out.cause = 'legacy_signature';
  out.expected = result.expected;
  out.received = result.received;
  if (index !== null) {
    out.matchedSecret = label(index);
    const whose = index < accepted ? 'so the secret is right' : `so the sender has ${label(index)}, not ${label(0)}`;
    out.explanation =
      `Only the legacy SHA-1 X-Hub-Signature was sent, and it matches ${label(index)}, ${whose}. ` +
      'X-Hub-Signature-256 is missing, and a SHA-1 signature alone is not accepted.';
  } else {
    out.explanation = `Only the legacy SHA-1 X-Hub-Signature was sent, and it does not match ${label(0)} either. X-Hub-Signature-256 is missing.`;
  }
  out.fix =
    'Check the sender: GitHub.com and current GitHub Enterprise Server send X-Hub-Signature-256 (HMAC-SHA256) with every delivery. ' +
    'An older GitHub Enterprise Server or a custom sender that signs only with SHA-1 must be upgraded or changed to send X-Hub-Signature-256; ' +
    'also check that no proxy drops that header.';
  return out;
}

/** Whether the received signature is right for the timestamp text exactly as it was sent, under a secret that is accepted. */
function matchesAsSent({ d, headers, body, secrets, accepted }: ProblemInput, received: string): { value: string; index: number } | null {
  const header = d.headers.find((h) => /sig/i.test(h) && headers.get(h) !== undefined);
  if (!header) return null;
  const cores = signatureCores(received);
  for (const [index, secret] of secrets.slice(0, accepted).entries()) {
    const value = signatureUnder(d, headers, body, secret, header);
    const core = value === null ? undefined : signatureCores(value)[0];
    if (value !== null && core && cores.includes(core)) return { value, index };
  }
  return null;
}

/** The signed timestamp is not in the dialect's form: a unit or format mix-up, or garbage. */
export function explainTimestamp(out: Diagnosis, result: VerifyResult, input: ProblemInput): Diagnosis {
  const raw = timestampOf(input.d, input.headers) ?? '';
  const rule = input.d.timestamp!;
  const unit = rule.format === 'unix-seconds' ? /^\d{13}$|^\d{16}$/.test(raw) : /^\d{9,13}$/.test(raw);
  const signedAsSent = out.received ? matchesAsSent(input, out.received) : null;
  out.cause = unit ? 'timestamp_unit' : 'malformed_timestamp';
  out.expected = signedAsSent?.value ?? null;
  const want = rule.format === 'unix-seconds' ? 'a unix time in whole seconds' : 'an ISO 8601 UTC time';
  out.explanation = signedAsSent
    ? `${result.reason} The signature does match the timestamp as sent, so the secret and the body are right; only the timestamp's form is wrong.`
    : `${result.reason} The timestamp is part of what is signed, so the signature cannot be checked until it is in the dialect's form.`;
  out.fix = unit && rule.format === 'unix-seconds'
    ? `Have the sender write ${rule.header} in whole seconds (e.g. Math.floor(Date.now() / 1000)), and sign that same value.`
    : `Have the sender write ${rule.header} as ${want}, and sign that same text.`;
  if (signedAsSent) out.matchedSecret = input.label(signedAsSent.index);
  return out;
}

/** No secret and no reconstruction can match a value that is not a signature in the dialect's form. */
export function explainMalformed(out: Diagnosis, result: VerifyResult, d: Dialect): Diagnosis {
  out.cause = 'malformed_signature';
  out.explanation = `${result.reason} A malformed value cannot match any secret, so whether the secret is right cannot be told yet.`;
  out.fix = `Make the sender write the header exactly in ${d.label}'s form; if it already does, find what changed it on the way (a proxy, a copy and paste).`;
  return out;
}
