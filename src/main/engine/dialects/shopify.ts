import { defaultRetry, event, has, hmacBase64, randomHex, verifySignatureHeader } from './shared';
import type { Dialect } from './types';

const SIGNATURE = 'X-Shopify-Hmac-Sha256';

const customer = {
  id: 7412203839772,
  email: 'ana.costa@example.org',
  first_name: 'Ana',
  last_name: 'Costa',
  state: 'enabled',
};

const lineItem = {
  id: 15023311053084,
  product_id: 9120034537756,
  variant_id: 48210335924508,
  title: 'Widget SDK — Team license',
  quantity: 1,
  price: '49.00',
  sku: 'WSDK-TEAM',
};

const order = () => ({
  id: 6142033658140,
  admin_graphql_api_id: 'gid://shopify/Order/6142033658140',
  name: '#1042',
  email: customer.email,
  created_at: '2026-03-02T09:16:40+01:00',
  updated_at: '2026-03-02T09:16:41+01:00',
  currency: 'EUR',
  current_total_price: '49.00',
  financial_status: 'paid',
  fulfillment_status: null,
  customer,
  line_items: [lineItem],
});

export const shopify: Dialect = {
  name: 'shopify',
  label: 'Shopify',
  headers: [
    SIGNATURE,
    'X-Shopify-Topic',
    'X-Shopify-Webhook-Id',
    'X-Shopify-Event-Id',
    'X-Shopify-Triggered-At',
    'X-Shopify-Shop-Domain',
    'X-Shopify-API-Version',
  ],
  secret: { encoding: 'raw', description: "The app's client secret, used as-is (UTF-8 bytes)." },
  timestamp: null,
  specificity: 20,
  generateSecret: () => 'shpss_' + randomHex(16),

  sign(body, secret, { id, timestamp, event: name }) {
    return {
      headers: {
        'X-Shopify-Topic': name ?? 'orders/create',
        'X-Shopify-Webhook-Id': id,
        'X-Shopify-Event-Id': id,
        'X-Shopify-Triggered-At': new Date(timestamp * 1000).toISOString(),
        'X-Shopify-Shop-Domain': 'hookbench-demo.myshopify.com',
        'X-Shopify-API-Version': '2025-07',
        [SIGNATURE]: hmacBase64(secret, body),
      },
      signedBytes: body,
    };
  },

  verify: (headers, body, secrets) =>
    verifySignatureHeader(headers, {
      secrets,
      header: SIGNATURE,
      expectedFor: (secret) => hmacBase64(secret, body),
      shape: { prefix: '', encoding: 'base64' },
    }),

  detect: (headers) => has(headers, SIGNATURE, 'X-Shopify-Topic'),

  events: [
    event('orders/create', 'An order was placed.', () => ({ ...order(), financial_status: 'pending' })),
    event('orders/paid', 'An order was paid.', order),
    event('products/update', 'A product was changed.', () => ({
      id: lineItem.product_id,
      title: 'Widget SDK',
      handle: 'widget-sdk',
      status: 'active',
      vendor: 'Acme Tools',
      updated_at: '2026-03-02T09:20:00+01:00',
      variants: [{ id: lineItem.variant_id, title: 'Team license', price: '49.00', sku: lineItem.sku }],
    })),
    event('app/uninstalled', 'The shop removed the app.', () => ({
      id: 80423977244,
      name: 'Hookbench Demo',
      domain: 'hookbench-demo.myshopify.com',
      myshopify_domain: 'hookbench-demo.myshopify.com',
      email: 'owner@example.org',
    })),
  ],

  retry: defaultRetry('Shopify itself retries a failed delivery up to 8 times over about 4 hours.'),
};
