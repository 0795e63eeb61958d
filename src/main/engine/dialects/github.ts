import * as samples from './samples/github';
import { defaultRetry, event, has, hmacHex, hmacSha1Hex, oneHeader, randomHex, verifyBodySignature } from './shared';
import type { Dialect } from './types';

const SIGNATURE = 'X-Hub-Signature-256';

export const github: Dialect = {
  name: 'github',
  label: 'GitHub',
  headers: ['X-GitHub-Event', 'X-GitHub-Delivery', 'X-Hub-Signature-256', 'X-Hub-Signature', 'User-Agent'],
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
        'X-Hub-Signature': 'sha1=' + hmacSha1Hex(secret, body),
        [SIGNATURE]: 'sha256=' + hmacHex(secret, body),
      },
      signedBytes: body,
    };
  },

  verify(headers, body, secrets) {
    const sig = oneHeader(headers, SIGNATURE);
    if ('problem' in sig) {
      const legacy = has(headers, 'X-Hub-Signature')
        ? ' Only the legacy SHA-1 X-Hub-Signature was sent, which is not accepted.'
        : ' The hook on GitHub has no secret, or the request did not come from GitHub.';
      return { ok: false, reason: sig.problem + legacy, expected: null, received: null, matchedSecretIndex: null };
    }
    return verifyBodySignature({
      secrets,
      header: SIGNATURE,
      value: sig.value,
      expectedFor: (secret) => 'sha256=' + hmacHex(secret, body),
      shape: /^sha256=[0-9a-f]{64}$/,
      shapeHint: '"sha256=" followed by 64 lowercase hex digits',
    });
  },

  detect: (headers) => has(headers, 'X-GitHub-Event', SIGNATURE),

  events: [
    event('ping', 'Sent once when a hook is created or pinged; carries zen, hook_id and hook.', samples.ping),
    event('push', 'A tag was pushed (ref refs/tags/…); before is all zeros on create.', samples.pushTag, 'tag'),
    event('push', 'A branch was pushed (ref refs/heads/…).', samples.pushBranch, 'branch'),
    event('release', 'A release was published.', samples.release),
    event('create', 'A tag was created; ref is the short tag name. Fires alongside the push.', samples.create),
  ],

  retry: defaultRetry('GitHub itself never retries (redelivery is manual, within 3 days).'),
};
