import { badTimestamp, bytes, defaultRetry, event, fail, has, hmacHex, oneHeader, parseTimestamp, randomHex, verifyTimestamped } from './shared';
import type { Dialect, TimestampRule } from './types';

const HEADER = 'Stripe-Signature';
const RULE: TimestampRule = { header: `${HEADER} t=`, format: 'unix-seconds', toleranceSeconds: 300, rejects: 'old' };
const FORM = '"t=<unix seconds>,v1=<64 lowercase hex digits>"';

/** The whole `whsec_…` string, prefix included, is the key. */
const signature = (secret: string, t: string, body: Buffer) => hmacHex(secret, bytes(`${t}.`, body));

function stripeEvent(type: string, object: Record<string, unknown>) {
  return () => ({
    id: 'evt_1QxR2aLkdIwHu7ixg3ZCbT8m',
    object: 'event',
    api_version: '2025-08-27.basil',
    created: 1772439400,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: 'req_Vt0aKcE1pQ9s2n', idempotency_key: '8d3f0c7e-2a51-4b9e-9f6a-1c2d3e4f5a6b' },
    type,
  });
}

const paymentIntent = {
  id: 'pi_3QxR2aLkdIwHu7ix0sK4mJ2p',
  object: 'payment_intent',
  amount: 4900,
  amount_received: 4900,
  currency: 'eur',
  customer: 'cus_RqT4nU8vW2xY6z',
  description: 'Widget SDK — annual license',
  metadata: { license_key: 'WSDK-7F3A-91C2' },
  status: 'succeeded',
  created: 1772439391,
  livemode: false,
};

export const stripe: Dialect = {
  name: 'stripe',
  label: 'Stripe',
  headers: [HEADER, 'User-Agent'],
  secret: {
    encoding: 'whsec-bytes',
    description: 'The endpoint secret `whsec_…`; the whole string, prefix included, is the HMAC key (not decoded).',
  },
  timestamp: RULE,
  specificity: 20,
  generateSecret: () => 'whsec_' + randomHex(32),

  sign(body, secret, { timestamp, timestampText }) {
    const t = timestampText ?? String(timestamp);
    return {
      headers: {
        [HEADER]: `t=${t},v1=${signature(secret, t, body)}`,
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      signedBytes: bytes(`${t}.`, body),
    };
  },

  verify(headers, body, secrets, nowSeconds, options) {
    const header = oneHeader(headers, HEADER);
    if ('problem' in header) return fail(header.problem);
    const items = header.value.split(',').map((item) => {
      const eq = item.indexOf('=');
      return eq < 0 ? ['', item] : [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
    });
    const t = items.find(([k]) => k === 't')?.[1];
    const v1 = items.filter(([k]) => k === 'v1').map(([, v]) => v!);
    const malformed = (what: string) => fail(`${HEADER} is malformed: ${what}; expected ${FORM}.`, { received: header.value, problem: 'malformed_signature' });
    if (t === undefined) return malformed('it has no t= timestamp');
    const timestamp = parseTimestamp(RULE, t);
    if (timestamp === null) return badTimestamp(RULE, t, header.value);
    if (v1.length === 0) {
      const schemes = items.map(([k]) => k).filter((k) => k && k !== 't');
      return malformed(`it has no v1= signature${schemes.length ? ` (only ${schemes.map((k) => `${k}=`).join(', ')}, which is not accepted)` : ''}`);
    }
    return verifyTimestamped({
      secrets,
      rule: RULE,
      timestamp,
      nowSeconds,
      options,
      header: HEADER,
      received: header.value,
      candidates: v1,
      expectedFor: (secret) => signature(secret, t, body),
      shape: { prefix: '', encoding: 'hex', form: FORM },
    });
  },

  detect: (headers) => has(headers, HEADER),

  events: [
    event('payment_intent.succeeded', 'A payment went through.', stripeEvent('payment_intent.succeeded', paymentIntent)),
    event(
      'charge.refunded',
      'A charge was refunded, fully or in part.',
      stripeEvent('charge.refunded', {
        id: 'ch_3QxR2aLkdIwHu7ix0nB1cD4e',
        object: 'charge',
        amount: 4900,
        amount_refunded: 4900,
        currency: 'eur',
        customer: 'cus_RqT4nU8vW2xY6z',
        payment_intent: paymentIntent.id,
        refunded: true,
        status: 'succeeded',
      }),
    ),
    event(
      'customer.subscription.created',
      'A customer started a subscription.',
      stripeEvent('customer.subscription.created', {
        id: 'sub_1QxR2bLkdIwHu7ixPq3rS5tU',
        object: 'subscription',
        customer: 'cus_RqT4nU8vW2xY6z',
        status: 'active',
        current_period_start: 1772439400,
        current_period_end: 1803975400,
        items: { object: 'list', data: [{ id: 'si_RqT5aB', price: { id: 'price_1QxWsdkAnnual', unit_amount: 4900 } }] },
      }),
    ),
    event(
      'invoice.paid',
      'An invoice was paid.',
      stripeEvent('invoice.paid', {
        id: 'in_1QxR2cLkdIwHu7ixVw8xY9zA',
        object: 'invoice',
        customer: 'cus_RqT4nU8vW2xY6z',
        amount_paid: 4900,
        currency: 'eur',
        status: 'paid',
        hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1Qx/test_YWNjdF8x',
      }),
    ),
  ],

  retry: defaultRetry('Stripe itself retries live-mode events for up to three days with exponential backoff.'),
};
