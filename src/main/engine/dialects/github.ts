import * as samples from './samples/github';
import { defaultRetry, event, fail, has, hmacHex, hmacSha1Hex, matchSecrets, oneHeader, randomHex, verifyBodySignature } from './shared';
import type { Dialect, VerifyResult } from './types';

const SIGNATURE = 'X-Hub-Signature-256';
const LEGACY = 'X-Hub-Signature';

/**
 * Only the SHA-1 header came: it is not accepted (SHA-1 is weak, and GitHub sends SHA-256 with
 * every delivery), but whether it matches tells a wrong secret from an old or custom sender.
 */
function legacyOnly(value: string, body: Buffer, secrets: string[]): VerifyResult {
  const { index, expected } = matchSecrets(secrets, [value], (secret) => 'sha1=' + hmacSha1Hex(secret, body));
  const reason =
    index === null
      ? `${SIGNATURE} is missing: only the legacy SHA-1 ${LEGACY} was sent, and it does not match the secret either.`
      : `${SIGNATURE} is missing: only the legacy SHA-1 ${LEGACY} was sent. It matches the secret, but SHA-1 alone is not accepted.`;
  return { ...fail(reason, { expected, received: value, problem: 'legacy_signature' }), legacyMatchIndex: index };
}

export const github: Dialect = {
  name: 'github',
  label: 'GitHub',
  headers: ['X-GitHub-Event', 'X-GitHub-Delivery', SIGNATURE, LEGACY, 'User-Agent'],
  secret: { encoding: 'raw', description: 'The hook secret as typed, used as-is (UTF-8 bytes).' },
  timestamp: null,
  specificity: 20,
  generateSecret: () => randomHex(32),

  sign(body, secret, { id, event: name }) {
    return {
      headers: {
        'X-GitHub-Event': name ?? 'ping',
        'X-GitHub-Delivery': id,
        'User-Agent': 'GitHub-Hookshot/hookbnc',
        [LEGACY]: 'sha1=' + hmacSha1Hex(secret, body),
        [SIGNATURE]: 'sha256=' + hmacHex(secret, body),
      },
      signedBytes: body,
    };
  },

  verify(headers, body, secrets) {
    const sig = oneHeader(headers, SIGNATURE);
    if ('problem' in sig) {
      if (headers.all(SIGNATURE).length > 0) return fail(sig.problem);
      const legacy = oneHeader(headers, LEGACY);
      if ('value' in legacy) return legacyOnly(legacy.value, body, secrets);
      return fail(`${sig.problem} The hook on GitHub has no secret, or the request did not come from GitHub.`);
    }
    return verifyBodySignature({
      secrets,
      header: SIGNATURE,
      value: sig.value,
      expectedFor: (secret) => 'sha256=' + hmacHex(secret, body),
      shape: { prefix: 'sha256=', encoding: 'hex' },
    });
  },

  detect: (headers) => has(headers, 'X-GitHub-Event', SIGNATURE, LEGACY),

  events: [
    event('ping', 'Sent once when a hook is created or pinged; carries zen, hook_id and hook.', samples.ping),
    event('push', 'A tag was pushed (ref refs/tags/…); before is all zeros on create.', samples.pushTag, 'tag'),
    event('push', 'A branch was pushed (ref refs/heads/…).', samples.pushBranch, 'branch'),
    event('release', 'A release was published.', samples.release),
    event('create', 'A tag was created; ref is the short tag name. Fires alongside the push.', samples.create),
  ],

  retry: defaultRetry('GitHub itself never retries (redelivery is manual, within 3 days).'),
};
