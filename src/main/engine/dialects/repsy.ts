import { bytes, defaultRetry, event, has, hmacBase64, randomBase64Url, verifySignatureWithTimestamp } from './shared';
import type { Dialect, TimestampRule } from './types';

const SIGNATURE = 'X-Repsy-Signature';
const RULE: TimestampRule = { header: 'X-Repsy-Timestamp', format: 'iso-8601', toleranceSeconds: 300, rejects: 'old' };

/** The secret is base64url text; its decoded bytes are the key. */
const key = (secret: string) => Buffer.from(secret, 'base64url');
const base = (timestamp: string, body: Buffer) => bytes(`${timestamp}.`, body);

function deployed() {
  return {
    rubyGem: {
      uuid: '3f9e2c71-8a4b-4d06-b5e1-27c0d9a4f813',
      name: 'ledger_sync',
      version: '2.3.1',
      platform: 'ruby',
      published_at: '2026-03-02T08:16:40.214000Z',
      description: 'Keeps a double-entry ledger in step with the bank feed.',
      authors: 'Omar Haddad',
      homepage: 'https://example.com/ledger_sync',
      license: 'Apache-2.0',
      registry: {
        uuid: 'd0a6b8e4-51c3-4f7a-9e22-6b1f03c58d97',
        owner: 'finops',
        name: 'internal-gems',
        description: 'Private gems for the finance team',
        private_repo: true,
        searchable: false,
        created_at: '2025-10-20T13:45:09.000000Z',
        metadata: null,
      },
    },
    date: '2026-03-02T08:16:40.219000Z',
    event_id: '8c1d4e7a-2b9f-4a63-b0d5-f47e91c2a3b8',
    event_type: 'package.deployed',
    repoType: 'RUBY',
    webhook_url: 'https://hooks.example.test/repsy',
  };
}

export const repsy: Dialect = {
  name: 'repsy',
  label: 'Repsy',
  headers: [SIGNATURE, RULE.header],
  secret: { encoding: 'base64url', description: 'A base64url string; the HMAC key is its decoded bytes.' },
  timestamp: RULE,
  specificity: 20,
  generateSecret: () => randomBase64Url(32),

  // Repsy sends no event or id header: event_type and event_id are in the body.
  // A captured request is reproduced with its timestamp text as sent (Repsy writes microseconds).
  sign(body, secret, { timestamp, timestampText }) {
    const iso = timestampText ?? new Date(timestamp * 1000).toISOString();
    const signedBytes = base(iso, body);
    return { headers: { [SIGNATURE]: hmacBase64(key(secret), signedBytes), [RULE.header]: iso }, signedBytes };
  },

  verify: (headers, body, secrets, nowSeconds, options) =>
    verifySignatureWithTimestamp(headers, body, {
      secrets,
      nowSeconds,
      options,
      header: SIGNATURE,
      rule: RULE,
      expectedFor: (secret, raw, payload) => hmacBase64(key(secret), base(raw, payload)),
      shape: { prefix: '', encoding: 'base64' },
    }),

  detect: (headers) => has(headers, SIGNATURE),

  events: [event('package.deployed', 'A new gem version was deployed to a Repsy Ruby repository.', deployed)],

  retry: defaultRetry('Repsy documents no retry schedule.'),
};
