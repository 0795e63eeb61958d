import { detectDialects, dialects, getDialect, type Dialect, type VerifyResult } from '../dialects';
import type { HeaderList } from '../receiver/headers';
import { bodyVariants, encodingVariants, type BodyVariant } from './body-variants';
import { safeBytes, type Diagnosis } from './diagnosis';
import { matchElsewhere, type KnownSecret } from './elsewhere';
import { encodingOf, keyVariants, MAC_ENCODINGS, mac, signatureCores } from './key-variants';
import { explainLegacy, explainMalformed, explainTimestamp, type ProblemInput } from './problem-diagnosis';
import { signedBytesFor } from './signed-bytes';
import { diagnoseToken, isTokenRequest } from './token-diagnosis';
import { describeToken } from './token-text';

export type { KnownSecret } from './elsewhere';

export interface DiagnoseInput {
  headers: HeaderList;
  body: Buffer;
  /** The first is the secret that should match; the rest are other known secrets, searched as thoroughly. */
  secrets?: string[];
  /** Names for the secrets, in the same order ("hook secret", "endpoint Billing"…). */
  secretLabels?: string[];
  /**
   * How many of `secrets`, from the first, the receiver accepts: the hook's secret, GitLab's signing
   * token, a rotation's previous secret still in its overlap. A match on any of them is valid. Default 1.
   */
  accepted?: number;
  /** Secrets held for other packages and endpoints: tried on the bytes as received (bounded), to name whose secret signed it. */
  elsewhere?: KnownSecret[];
  dialect?: string;
  /** Milliseconds. */
  now?: number;
  /** The receiver's own timestamp tolerance (an inbox's), when it is not the dialect's. */
  toleranceSeconds?: number;
}

const ANY_AGE = { toleranceSeconds: Number.MAX_SAFE_INTEGER };
const squash = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

function misspelledHeader(headers: HeaderList): { sent: string; meant: string } | null {
  const known = Object.values(dialects).flatMap((d) => d.headers);
  for (const [sent] of headers.pairs) {
    const meant = known.find((k) => squash(k) === squash(sent) && k.toLowerCase() !== sent.toLowerCase());
    if (meant) return { sent, meant };
  }
  return null;
}

function base(d: Dialect | null, detected: Dialect[], signedBytes: Buffer | null): Diagnosis {
  return {
    detected: detected.map((x) => x.name),
    dialect: d?.name ?? null,
    verdict: 'invalid',
    signedBytes: signedBytes ? safeBytes(signedBytes) : null,
    reconstruction: null,
    expected: null,
    received: null,
    matchedSecret: null,
    skewSeconds: null,
    cause: null,
    explanation: '',
    fix: null,
    tried: [],
    untried: [],
  };
}

/** The signature as received; a token sent in place of one is the secret itself, so only its length is shown. */
function receivedValue(headers: HeaderList, sigHeaders: string[]): string | null {
  const sent = sigHeaders.filter((h) => headers.get(h) !== undefined);
  const signature = sent.find((h) => !/token/i.test(h));
  if (signature) return headers.get(signature)!;
  return sent[0] ? describeToken(headers.get(sent[0])!, false) : null;
}

function noDialect(headers: HeaderList, detected: Dialect[]): Diagnosis {
  const miss = misspelledHeader(headers);
  const out = base(null, detected, null);
  out.verdict = 'missing';
  if (miss) {
    out.cause = 'misspelled_header';
    out.explanation = `"${miss.sent}" looks like ${miss.meant} but is spelled differently, so no receiver will read it.`;
    out.fix = `Send it as "${miss.meant}". Proxies such as nginx drop headers with underscores by default.`;
  } else {
    out.cause = 'no_signature';
    out.explanation = 'No signature header of any known dialect is present.';
    out.fix = 'Check that the sender has a secret configured, and that no proxy strips the signature headers.';
  }
  return out;
}

/** The body variant whose bytes the signature covers, with Expected and the signed bytes shown for it. */
function reconstructionHit(out: Diagnosis, d: Dialect, headers: HeaderList, variant: BodyVariant, hit: VerifyResult): void {
  out.reconstruction = variant.name;
  out.signedBytes = safeBytes(signedBytesFor(d, headers, variant.body));
  out.expected = hit.expected;
}

/**
 * Says why a signature verifies or not, and what to change: it re-runs the
 * dialect's own verification against the reconstructions a sender or a relay
 * plausibly produced, and names the first one that matches.
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const { headers, body } = input;
  const secrets = input.secrets ?? [];
  const accepted = Math.max(1, input.accepted ?? 1);
  const label = (i: number) => input.secretLabels?.[i] ?? (secrets.length === 1 ? 'the given secret' : `secret #${i + 1}`);
  const notFirst = (i: number) => (i >= accepted ? ` (It matched ${label(i)}, not ${label(0)}.)` : '');
  const nowS = Math.floor((input.now ?? Date.now()) / 1000);
  const detected = detectDialects(headers);
  const d = input.dialect ? getDialect(input.dialect) : (detected[0] ?? null);
  if (!d) return noDialect(headers, detected);

  const out = base(d, detected, signedBytesFor(d, headers, body));
  const sigHeaders = d.headers.filter((h) => /sig|token|hmac/i.test(h));
  out.received = receivedValue(headers, sigHeaders);
  const repeated = sigHeaders.find((h) => headers.all(h).length > 1);
  if (repeated) {
    out.cause = 'duplicate_header';
    out.explanation = `${repeated} was sent ${headers.all(repeated).length} times; receivers read only one of them.`;
    out.fix = 'Find the proxy or client that adds a second copy and remove it.';
    return out;
  }
  if (isTokenRequest(d.name, headers)) out.signedBytes = null;
  if (secrets.length === 0) {
    out.verdict = out.received === null ? 'missing' : 'unchecked';
    out.explanation = `Detected ${d.label}. Give the secret to check the signature.`;
    return out;
  }
  const elsewhere = input.elsewhere ?? [];
  if (isTokenRequest(d.name, headers)) return diagnoseToken(out, { headers, secrets, label, accepted, elsewhere });

  const asReceived = input.toleranceSeconds === undefined ? undefined : { toleranceSeconds: input.toleranceSeconds };
  const verify = (bytes: Buffer, options: typeof ANY_AGE | undefined = asReceived): VerifyResult => d.verify(headers, bytes, secrets, nowS, options);
  const problem: ProblemInput = { d, headers, body, secrets, label, accepted };
  const result = verify(body);
  out.expected = result.expected;
  out.received = result.received ?? out.received;
  out.skewSeconds = result.skewSeconds ?? null;
  if (result.ok) {
    const index = result.matchedSecretIndex ?? 0;
    out.matchedSecret = label(index);
    if (index < accepted) {
      out.verdict = 'valid';
      out.explanation = index === 0 ? `${result.reason} (${d.label}, ${out.matchedSecret}).` : `Signature matches ${out.matchedSecret} (${d.label}).`;
      return out;
    }
    // Shown beside the received value: what the secret being checked (the first) would produce.
    out.expected = d.verify(headers, body, secrets.slice(0, 1), nowS).expected;
    out.cause = 'wrong_secret';
    out.explanation = `The signature is valid for ${out.matchedSecret}, not for ${label(0)}.`;
    out.fix = `The sender is configured with ${out.matchedSecret}; give it ${label(0)}, or verify with ${out.matchedSecret}.`;
    return out;
  }
  if (result.problem === 'legacy_signature') return explainLegacy(out, result, problem);
  if (out.received === null) {
    out.verdict = 'missing';
    out.cause = 'no_signature';
    out.explanation = result.reason;
    out.fix = `Configure a secret on the sender so it sends ${sigHeaders.join(' / ')}.`;
    return out;
  }
  if (result.problem === 'malformed_timestamp') return explainTimestamp(out, result, problem);

  const malformed = result.problem === 'malformed_signature';
  if (!malformed) {
    const other = matchElsewhere(d, headers, body, elsewhere, nowS);
    if (other.untried) out.untried.push(other.untried);
    if (other.match) {
      out.cause = 'wrong_secret';
      out.matchedSecret = other.match.label;
      out.explanation = `The signature was made with ${other.match.label}, not ${label(0)}: the sender was given another secret Hookbench holds (or this URL was pasted where that one belongs).`;
      out.fix = `Give the sender ${label(0)}, or point it at the URL that goes with ${other.match.label}.`;
      return out;
    }

    const anyAge = verify(body, ANY_AGE);
    out.tried.push('any timestamp age');
    if (anyAge.ok) {
      const skew = anyAge.skewSeconds ?? 0;
      out.cause = 'timestamp';
      out.skewSeconds = skew;
      out.matchedSecret = label(anyAge.matchedSecretIndex ?? 0);
      out.explanation = `The signature is right, but the timestamp is ${Math.abs(skew)} s ${skew >= 0 ? 'old' : 'in the future'}, outside the ${input.toleranceSeconds ?? d.timestamp?.toleranceSeconds ?? 300} s tolerance.`;
      out.fix = skew >= 0 ? 'Resend it (a replay of an old message is refused on purpose), or check the receiver clock.' : 'The sender clock runs ahead; sync both clocks with NTP.';
      return out;
    }

    for (const variant of encodingVariants(body, headers.get('content-type'))) {
      out.tried.push(`body ${variant.name}`);
      const hit = verify(variant.body, ANY_AGE);
      if (!hit.ok) continue;
      reconstructionHit(out, d, headers, variant, hit);
      out.cause = 'form_vs_json';
      out.matchedSecret = label(hit.matchedSecretIndex ?? 0);
      out.explanation = `The signature matches the body ${variant.name}. ${variant.change}${notFirst(hit.matchedSecretIndex ?? 0)}`;
      out.fix = 'Verify the raw request bytes exactly as they arrived, before any form or JSON parsing; or set the hook content type to application/json on both sides.';
      return out;
    }
    const { variants, untried } = bodyVariants(body);
    out.untried.push(...untried);
    for (const variant of variants) {
      out.tried.push(`body ${variant.name}`);
      const hit = verify(variant.body, ANY_AGE);
      if (!hit.ok) continue;
      reconstructionHit(out, d, headers, variant, hit);
      out.matchedSecret = label(hit.matchedSecretIndex ?? 0);
      out.cause = variant.kind === 'json' ? 'body_reserialized' : 'body_changed';
      out.explanation = `The signature matches the body ${variant.name}. ${variant.change}${notFirst(hit.matchedSecretIndex ?? 0)}`;
      out.fix =
        variant.kind === 'json'
          ? 'Verify against the raw bytes as sent: read the body before any JSON parser (or relay such as smee) re-encodes it.'
          : 'Sign and send the same bytes: find what adds or removes them (the sender\u2019s HTTP framework, a proxy, an editor) and verify the raw body exactly as it arrives.';
      return out;
    }
  }

  const cores = signatureCores(out.received);
  const expectedCore = out.expected ? signatureCores(out.expected)[0] : undefined;
  if (expectedCore && cores.includes(expectedCore)) {
    out.cause = 'prefix';
    out.explanation = `The MAC is right but the header's format is not: received "${out.received}", expected "${out.expected}".`;
    out.fix = 'Add or remove the scheme prefix (such as "sha256=" or "v1,") so the header reads exactly as expected.';
    return out;
  }
  const signed = signedBytesFor(d, headers, body);
  const wanted = expectedCore ? encodingOf(expectedCore) : 'hex';
  for (const [i, secret] of secrets.entries()) {
    for (const key of keyVariants(secret)) {
      for (const encoding of MAC_ENCODINGS) {
        out.tried.push(`${label(i)}: ${key.name}, ${encoding}`);
        if (!cores.includes(mac(key.key, signed, encoding))) continue;
        out.matchedSecret = label(i);
        if (encoding !== wanted) {
          out.cause = 'hex_vs_base64';
          out.explanation = `The sender encoded the MAC as ${encoding}; ${d.label} uses ${wanted}.`;
          out.fix = `Encode the HMAC digest as ${wanted}.`;
        } else {
          out.cause = 'secret_encoding';
          out.explanation = `The sender used ${key.name} as the key; ${d.label} expects ${d.secret.description}`;
          out.fix = 'Use the secret exactly as the dialect describes; do not decode or re-encode it.';
        }
        out.explanation += notFirst(i);
        return out;
      }
    }
  }
  if (malformed) return explainMalformed(out, result, d);
  out.cause = 'wrong_secret';
  out.explanation = `${result.reason} No given secret reproduces it, in any key or digest encoding, over the body as received or re-serialized.`;
  out.fix = 'The sender signs with a different secret: copy the secret again (or rotate it) on both sides.';
  return out;
}
