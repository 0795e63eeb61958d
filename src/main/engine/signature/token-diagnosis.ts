import type { HeaderList } from '../receiver/headers';
import { safeEqualSecret } from './hmac';
import type { Diagnosis } from './diagnosis';
import type { KnownSecret } from './elsewhere';
import { describeToken } from './token-text';

const TOKEN = 'X-Gitlab-Token';

/** GitLab's secret token is sent as it is: a request carrying it is a token to compare, not a signature to check. */
export function isTokenRequest(dialect: string, headers: HeaderList): boolean {
  return dialect === 'gitlab' && headers.get('webhook-signature') === undefined && headers.get(TOKEN) !== undefined;
}

const describe = (value: string) => describeToken(value, true);

export interface TokenInput {
  headers: HeaderList;
  secrets: string[];
  label: (i: number) => string;
  /** How many of `secrets`, from the first, the receiver accepts. */
  accepted: number;
  elsewhere: KnownSecret[];
}

/**
 * Compares X-Gitlab-Token with the known secrets, never putting a secret in the answer:
 * nothing is signed, so there are no signed bytes and no reconstructions to try.
 */
export function diagnoseToken(out: Diagnosis, input: TokenInput): Diagnosis {
  const token = input.headers.get(TOKEN)!;
  const { secrets, label } = input;
  out.signedBytes = null;
  out.tried = [];
  out.received = describe(token);
  out.expected = `${secrets[0]!.length} characters (${label(0)}, not shown)`;
  const compared = `GitLab does not sign this request: it sends the hook's secret token itself in ${TOKEN}, and the receiver compares it with ${label(0)}.`;

  const index = secrets.findIndex((secret) => safeEqualSecret(token, secret));
  if (index >= 0) {
    out.matchedSecret = label(index);
    if (index < input.accepted) {
      out.verdict = 'valid';
      out.received = out.expected = `${token.length} characters (${label(index)}, not shown)`;
      out.explanation = `${TOKEN} matches ${label(index)}. GitLab does not sign this request: it sends the secret token, which is compared as sent.`;
      return out;
    }
    out.cause = 'wrong_secret';
    out.explanation = `${compared} The token received is ${label(index)}, not ${label(0)}.`;
    out.fix = `In GitLab (Settings → Webhooks → this hook), set the secret token to ${label(0)}.`;
    return out;
  }
  const other = input.elsewhere.find((k) => safeEqualSecret(token, k.secret));
  out.cause = 'wrong_secret';
  if (other) {
    out.matchedSecret = other.label;
    out.explanation = `${compared} The token received is ${other.label}: the hook on GitLab was given another package's secret (or this URL was pasted into that package's hook).`;
    out.fix = `In GitLab, set this hook's secret token to ${label(0)}, or point the hook at the URL of the package whose secret it has.`;
    return out;
  }
  const trimmed = token.trim();
  if (trimmed !== token && secrets.slice(0, input.accepted).some((secret) => safeEqualSecret(trimmed, secret))) {
    out.explanation = `${compared} The token matches except for spaces or a line break around it.`;
    out.fix = 'Paste the secret token into GitLab again, without surrounding spaces or line breaks.';
    return out;
  }
  out.explanation = `${compared} They differ: received ${describe(token)}; expected ${secrets[0]!.length} characters.`;
  out.fix = `In GitLab (Settings → Webhooks → this hook), set the secret token to ${label(0)} exactly; if it was lost, rotate it and paste the new one.`;
  return out;
}
