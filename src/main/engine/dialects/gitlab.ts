import { randomUUID } from 'node:crypto';
import { safeEqualSecret } from '../signature/hmac';
import { describeToken } from '../signature/token-text';
import * as samples from './samples/gitlab';
import { standardSignature, verifyStandard } from './standard-webhooks';
import { defaultRetry, event, fail, has, NO_SECRETS, oneHeader, randomBase64Url } from './shared';
import type { Dialect, VerifyResult } from './types';
import type { HeaderList } from '../receiver/headers';

const TOKEN = 'X-Gitlab-Token';
const isSigningToken = (secret: string) => secret.startsWith('whsec_');

/** The token is the secret itself: report its length (and how a wrong one starts), never the values. */
function verifyToken(headers: HeaderList, secrets: string[]): VerifyResult {
  const token = oneHeader(headers, TOKEN);
  if ('problem' in token) {
    return fail(`${token.problem} Neither it nor webhook-signature was sent: the hook on GitLab has no secret token.`);
  }
  let index: number | null = null;
  secrets.forEach((secret, i) => {
    if (safeEqualSecret(token.value, secret) && index === null) index = i;
  });
  if (index === null) {
    const received = describeToken(token.value, true);
    const expected = `${secrets[0]!.length} characters (not shown)`;
    const reason = `${TOKEN} does not match the secret token: GitLab sends the token itself, compared as sent (received ${received}; expected ${expected}).`;
    return fail(reason, { expected, received });
  }
  const same = describeToken(token.value, false);
  return { ok: true, reason: 'Token matches.', expected: same, received: same, matchedSecretIndex: index };
}

export const gitlab: Dialect = {
  name: 'gitlab',
  label: 'GitLab',
  headers: [
    'X-Gitlab-Event',
    TOKEN,
    'X-Gitlab-Event-UUID',
    'X-Gitlab-Webhook-UUID',
    'X-Gitlab-Instance',
    'Idempotency-Key',
    'User-Agent',
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
  ],
  secret: {
    encoding: 'raw',
    description:
      'A secret token sent verbatim in X-Gitlab-Token and compared as-is; or a signing token ' +
      '(`whsec_` + base64 key, decoded) that signs in the Standard Webhooks format instead.',
  },
  timestamp: { header: 'webhook-timestamp', format: 'unix-seconds', toleranceSeconds: 300, rejects: 'old-and-future' },
  specificity: 30,
  generateSecret: () => randomBase64Url(24),

  sign(body, secret, { id, timestamp, timestampText, event: name }) {
    const common = {
      'X-Gitlab-Event': name ?? 'Tag Push Hook',
      'X-Gitlab-Event-UUID': id,
      'X-Gitlab-Webhook-UUID': randomUUID(),
      'X-Gitlab-Instance': 'https://gitlab.example.com',
      'Idempotency-Key': id,
      'User-Agent': 'GitLab/18.9.0',
    };
    if (!isSigningToken(secret)) return { headers: { ...common, [TOKEN]: secret }, signedBytes: Buffer.alloc(0) };
    const ts = timestampText ?? String(timestamp);
    const signed = standardSignature(body, secret, id, ts);
    return {
      headers: { ...common, 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signed.header },
      signedBytes: signed.signedBytes,
    };
  },

  verify(headers, body, secrets, nowSeconds, options) {
    if (secrets.length === 0) return NO_SECRETS;
    if (has(headers, 'webhook-signature')) {
      const signing = secrets.map((s, i) => ({ s, i })).filter(({ s }) => isSigningToken(s));
      if (signing.length > 0) {
        const result = verifyStandard(headers, body, signing.map(({ s }) => s), nowSeconds, options);
        const index = result.matchedSecretIndex;
        return index === null ? result : { ...result, matchedSecretIndex: signing[index]!.i };
      }
    }
    return verifyToken(headers, secrets);
  },

  detect: (headers) => has(headers, 'X-Gitlab-Event', TOKEN, 'X-Gitlab-Webhook-UUID', 'X-Gitlab-Instance'),

  events: [
    event('Tag Push Hook', 'A tag was pushed or deleted (object_kind "tag_push"; after is all zeros on delete).', samples.tagPush),
    event('Push Hook', 'Commits were pushed to a branch (object_kind "push").', samples.push),
  ],

  retry: defaultRetry('GitLab retries on its own and auto-disables hooks that keep failing.'),
};
