import * as samples from './samples/gitea';
import { defaultRetry, event, fail, firstHeader, has, hmacHex, randomHex, verifyBodySignature } from './shared';
import type { Dialect } from './types';
import type { HeaderList } from '../receiver/headers';

/**
 * Gitea signs the JSON payload. With the form content type the body is `payload=<escaped JSON>`
 * but the signature still covers the JSON, so take it back out before checking.
 */
function signedPayload(headers: HeaderList, body: Buffer): Buffer {
  const type = headers.get('Content-Type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return body;
  const payload = new URLSearchParams(body.toString('utf8')).get('payload');
  return payload === null ? body : Buffer.from(payload, 'utf8');
}

export const gitea: Dialect = {
  name: 'gitea',
  label: 'Gitea / Forgejo',
  headers: [
    'X-Gitea-Event',
    'X-Gitea-Delivery',
    'X-Gitea-Signature',
    'X-Gogs-Signature',
    'X-GitHub-Event',
    'X-GitHub-Delivery',
    'X-Hub-Signature-256',
  ],
  secret: { encoding: 'raw', description: 'The hook secret as typed, used as-is (UTF-8 bytes).' },
  timestamp: null,
  specificity: 30,
  generateSecret: () => randomHex(32),

  sign(body, secret, { id, event: name }) {
    const hex = hmacHex(secret, body);
    const kind = name ?? 'push';
    return {
      headers: {
        'X-Gitea-Event': kind,
        'X-Gitea-Delivery': id,
        'X-Gitea-Signature': hex,
        'X-GitHub-Event': kind,
        'X-GitHub-Delivery': id,
        'X-Hub-Signature-256': 'sha256=' + hex,
      },
      signedBytes: body,
    };
  },

  verify(headers, body, secrets) {
    // Prefer Gitea's own bare-hex header; the GitHub-style copy carries the same HMAC.
    const sig = firstHeader(headers, ['X-Gitea-Signature', 'X-Gogs-Signature', 'X-Hub-Signature-256']);
    if ('problem' in sig) return fail(`${sig.problem} The hook in Gitea has no secret.`);
    const prefix = sig.name === 'X-Hub-Signature-256' ? 'sha256=' : '';
    const payload = signedPayload(headers, body);
    return verifyBodySignature({
      secrets,
      header: sig.name,
      value: sig.value,
      expectedFor: (secret) => prefix + hmacHex(secret, payload),
      shape: { prefix, encoding: 'hex' },
    });
  },

  detect: (headers) => has(headers, 'X-Gitea-Event', 'X-Gitea-Signature', 'X-Gogs-Event', 'X-Gogs-Signature'),

  events: [
    event('push', 'A tag or branch was pushed; before is all zeros when a tag is created.', samples.pushTag),
    event('create', 'A tag or branch was created; ref is the short name.', samples.create),
    event('release', 'A release was published.', samples.release),
  ],

  retry: defaultRetry('Gitea itself does not retry failed deliveries; they can be replayed from its UI.'),
};
