import type { HeaderList } from '../receiver/headers';
import {
  badTimestamp,
  bytes,
  defaultRetry,
  event,
  fail,
  firstHeader,
  has,
  hmacBase64,
  parseTimestamp,
  randomBase64,
  verifyTimestamped,
  whsecKey,
} from './shared';
import type { Dialect, TimestampRule, VerifyOptions, VerifyResult } from './types';

const RULE: TimestampRule = {
  header: 'webhook-timestamp',
  format: 'unix-seconds',
  toleranceSeconds: 300,
  rejects: 'old-and-future',
};

/** `{id}.{timestamp}.{body}`, HMAC'd with the decoded `whsec_` key. Shared with GitLab's signing tokens. */
export function standardSignature(body: Buffer, secret: string, id: string, timestamp: string) {
  if (id.includes('.')) throw new Error(`webhook-id must not contain ".": ${JSON.stringify(id)}`);
  const signedBytes = bytes(`${id}.${timestamp}.`, body);
  return { header: 'v1,' + hmacBase64(whsecKey(secret), signedBytes), signedBytes };
}

/** Reads `webhook-*` headers, or Svix's `svix-*` copies of the same scheme. */
export function verifyStandard(
  headers: HeaderList,
  body: Buffer,
  secrets: string[],
  nowSeconds: number,
  options?: VerifyOptions,
): VerifyResult {
  const sig = firstHeader(headers, ['webhook-signature', 'svix-signature']);
  if ('problem' in sig) return fail(sig.problem);
  const prefix = sig.name.startsWith('svix') ? 'svix' : 'webhook';
  const id = firstHeader(headers, [`${prefix}-id`]);
  const ts = firstHeader(headers, [`${prefix}-timestamp`]);
  if ('problem' in id) return fail(`${id.problem} ${sig.name} cannot be checked without it.`, { received: sig.value });
  if ('problem' in ts) return fail(`${ts.problem} ${sig.name} cannot be checked without it.`, { received: sig.value });
  const rule = { ...RULE, header: ts.name };
  const timestamp = parseTimestamp(rule, ts.value);
  if (timestamp === null) return badTimestamp(rule, ts.value, sig.value);
  if (id.value.includes('.')) {
    return fail(`${id.name} contains ".", which makes the signed content ambiguous; ids must not contain ".".`, { received: sig.value, problem: 'malformed_signature' });
  }
  return verifyTimestamped({
    secrets,
    rule,
    timestamp,
    nowSeconds,
    options,
    header: sig.name,
    received: sig.value,
    // A space-separated list during rotation; each entry is `<version>,<base64>`.
    candidates: sig.value.split(' ').filter(Boolean),
    expectedFor: (secret) => 'v1,' + hmacBase64(whsecKey(secret), bytes(`${id.value}.${ts.value}.`, body)),
    shape: { prefix: 'v1,', encoding: 'base64' },
  });
}

const envelope = (type: string, data: Record<string, unknown>) => () => ({
  type,
  timestamp: '2026-03-02T08:16:40.512Z',
  data,
});

const release = {
  package: 'acme-tools/widget-sdk',
  tag: 'v1.4.2',
  version: '1.4.2',
  prerelease: false,
  commit: '9f3c1e0b7a52d4c86e1f0a9b3d2c5e7f8a1b4c6d',
};

export const standardWebhooks: Dialect = {
  name: 'standard-webhooks',
  label: 'Standard Webhooks (Svix)',
  headers: ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'svix-id', 'svix-timestamp', 'svix-signature'],
  secret: {
    encoding: 'whsec-base64',
    description: '`whsec_` followed by the base64 of the key bytes (24–64 bytes); the prefix is stripped and the rest decoded.',
  },
  timestamp: RULE,
  specificity: 10,
  generateSecret: () => 'whsec_' + randomBase64(32),

  sign(body, secret, { id, timestamp, timestampText }) {
    const ts = timestampText ?? String(timestamp);
    const { header, signedBytes } = standardSignature(body, secret, id, ts);
    return {
      headers: { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': header },
      signedBytes,
    };
  },

  verify: verifyStandard,
  detect: (headers) => has(headers, 'webhook-signature', 'svix-signature'),

  events: [
    event('release.published', 'A release passed its checks and was published.', envelope('release.published', release)),
    event(
      'release.checks_failed',
      'A tag was ingested but failed a release check.',
      envelope('release.checks_failed', { ...release, failures: [{ rule: 'changelog', reason: 'No entry for 1.4.2' }] }),
    ),
    event('release.deleted', 'The tag behind a release was deleted.', envelope('release.deleted', { ...release, deleted: true })),
    event('endpoint.ping', 'A test message to check the endpoint is reachable.', envelope('endpoint.ping', { message: 'pong' })),
  ],

  retry: defaultRetry('The schedule Svix documents for Standard Webhooks senders.'),
};
