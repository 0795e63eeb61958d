import * as samples from './samples/privato';
import { event, has, hmacHex, randomBase64Url, verifySignatureHeader } from './shared';
import type { Dialect } from './types';

const SIGNATURE = 'X-Signature';

export const privato: Dialect = {
  name: 'privato',
  label: 'Privato',
  headers: [SIGNATURE],
  secret: { encoding: 'raw', description: "The webhook's signing secret, used as-is (UTF-8 bytes)." },
  timestamp: null,
  // X-Signature is a generic name: anything more specific wins.
  specificity: 5,
  generateSecret: () => randomBase64Url(32),

  // Privato sends no event or id header; the body alone says what happened.
  sign: (body, secret) => ({ headers: { [SIGNATURE]: hmacHex(secret, body) }, signedBytes: body }),

  verify: (headers, body, secrets) =>
    verifySignatureHeader(headers, {
      secrets,
      header: SIGNATURE,
      expectedFor: (secret) => hmacHex(secret, body),
      shape: { prefix: '', encoding: 'hex' },
    }),

  detect: (headers) => has(headers, SIGNATURE),

  events: [
    event('license.created', 'A license was created (License payload).', samples.license),
    event('license.updated', 'A license was updated (License payload).', samples.license),
    event('license.deleted', 'A license was deleted (License payload).', samples.license),
    event('release.published', 'A new release was published (Release payload).', samples.release),
    event('package.created', 'A package was created (Package payload).', samples.pkg),
    event('package.updated', 'A package was updated (Package payload).', samples.pkg),
    event('package.deleted', 'A package was deleted (Package payload).', samples.pkg),
    event('customer.created', 'A customer was created (Customer payload).', samples.customer),
    event('customer.updated', 'A customer was updated (Customer payload).', samples.customer),
    event(
      'package.downloaded',
      'A package was downloaded (Package payload; Privato documents no download-specific fields).',
      samples.pkg,
    ),
  ],

  retry: {
    delaysSeconds: [10, 100],
    disableAfterExhausted: false,
    description: 'Privato retries 10 s after a failed attempt, then 100 s after that; if that fails too, the delivery fails for good.',
  },
};
