import * as samples from './samples/sigmagit';
import { event, has, hmacHex, randomHex, verifySignatureHeader } from './shared';
import type { Dialect } from './types';

const SIGNATURE = 'X-Sigmagit-Signature';
const EVENT = 'X-Sigmagit-Event';
const USER_AGENT = 'Sigmagit-Webhook/1.0';

export const sigmagit: Dialect = {
  name: 'sigmagit',
  label: 'Sigmagit',
  headers: [SIGNATURE, EVENT, 'User-Agent'],
  secret: { encoding: 'raw', description: 'The secret shown once at creation (64 hex characters), used as-is (UTF-8 bytes, not hex-decoded).' },
  timestamp: null,
  specificity: 30,
  generateSecret: () => randomHex(32),

  sign(body, secret, { event: name }) {
    return {
      headers: { [EVENT]: name ?? 'push', [SIGNATURE]: 'sha256=' + hmacHex(secret, body), 'User-Agent': USER_AGENT },
      signedBytes: body,
    };
  },

  verify: (headers, body, secrets) =>
    verifySignatureHeader(headers, {
      secrets,
      header: SIGNATURE,
      expectedFor: (secret) => 'sha256=' + hmacHex(secret, body),
      shape: { prefix: 'sha256=', encoding: 'hex' },
    }),

  detect: (headers) =>
    has(headers, SIGNATURE, EVENT) || (headers.get('User-Agent') ?? '').startsWith('Sigmagit-Webhook/'),

  events: [
    event('issues.opened', 'An issue was opened.', () => samples.issue('opened')),
    event('issues.closed', 'An issue was closed.', () => samples.issue('closed')),
    event('issues.reopened', 'An issue was reopened.', () => samples.issue('reopened')),
    event('issues.edited', 'An issue was edited.', () => samples.issue('edited')),
    event('issues.deleted', 'An issue was deleted.', () => samples.issue('deleted')),
    event('pull_request.opened', 'A pull request was opened.', () => samples.pullRequest('opened')),
    event('pull_request.closed', 'A pull request was closed without merging.', () => samples.pullRequest('closed')),
    event('pull_request.merged', 'A pull request was merged.', () => samples.pullRequest('merged')),
    event('pull_request.reopened', 'A pull request was reopened.', () => samples.pullRequest('reopened')),
    event('pull_request.edited', 'A pull request was edited.', () => samples.pullRequest('edited')),
    event('push', 'Commits were pushed.', samples.push),
    event('commit', 'One commit (payload shape undocumented by Sigmagit).', samples.commit),
    event('star.added', 'The repository was starred (payload shape undocumented).', () => samples.star('added')),
    event('star.removed', 'The repository was unstarred (payload shape undocumented).', () => samples.star('removed')),
    event('fork.created', 'The repository was forked (payload shape undocumented).', samples.fork),
  ],

  retry: {
    delaysSeconds: [60, 300, 1800, 7200, 21600],
    disableAfterExhausted: true,
    description: 'Sigmagit retries after 1 min, 5 min, 30 min, 2 h and 6 h; after the fifth failure it disables the webhook.',
  },
};
