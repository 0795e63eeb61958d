import { bytes, defaultRetry, event, has, hmacHex, randomHex, verifySignatureWithTimestamp } from './shared';
import type { Dialect, TimestampRule } from './types';

const SIGNATURE = 'X-Slack-Signature';
const RULE: TimestampRule = { header: 'X-Slack-Request-Timestamp', format: 'unix-seconds', toleranceSeconds: 300, rejects: 'old' };

const base = (ts: string, body: Buffer) => bytes(`v0:${ts}:`, body);

const callback = (inner: Record<string, unknown>) => () => ({
  token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
  team_id: 'T0AB12CDE',
  api_app_id: 'A0HB3KQ7Z',
  event: inner,
  type: 'event_callback',
  event_id: 'Ev08MFMKH6',
  event_time: 1772439400,
  authorizations: [{ team_id: 'T0AB12CDE', user_id: 'U0BOTUSER', is_bot: true }],
});

export const slack: Dialect = {
  name: 'slack',
  label: 'Slack',
  headers: [SIGNATURE, RULE.header, 'User-Agent'],
  secret: { encoding: 'raw', description: "The app's signing secret, used as-is (UTF-8 bytes)." },
  timestamp: RULE,
  specificity: 20,
  generateSecret: () => randomHex(16),

  sign(body, secret, { timestamp, timestampText }) {
    const ts = timestampText ?? String(timestamp);
    const signedBytes = base(ts, body);
    return {
      headers: {
        [SIGNATURE]: 'v0=' + hmacHex(secret, signedBytes),
        [RULE.header]: ts,
        'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      signedBytes,
    };
  },

  verify: (headers, body, secrets, nowSeconds, options) =>
    verifySignatureWithTimestamp(headers, body, {
      secrets,
      nowSeconds,
      options,
      header: SIGNATURE,
      rule: RULE,
      expectedFor: (secret, raw, payload) => 'v0=' + hmacHex(secret, base(raw, payload)),
      shape: { prefix: 'v0=', encoding: 'hex' },
    }),

  detect: (headers) => has(headers, SIGNATURE),

  events: [
    event('url_verification', 'The challenge Slack sends when an Events API URL is saved; echo `challenge`.', () => ({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    })),
    event(
      'app_mention',
      'Someone mentioned the app in a channel (Events API event_callback).',
      callback({
        type: 'app_mention',
        user: 'U061F7AUR',
        text: '<@U0BOTUSER> what shipped today?',
        ts: '1772439399.000200',
        channel: 'C0LAN2Q65',
        event_ts: '1772439399.000200',
      }),
    ),
    event(
      'message',
      'A message was posted in a channel the app is in (Events API event_callback).',
      callback({
        type: 'message',
        channel: 'C0LAN2Q65',
        user: 'U061F7AUR',
        text: 'widget-sdk 1.4.2 is out',
        ts: '1772439401.000300',
        event_ts: '1772439401.000300',
        channel_type: 'channel',
      }),
    ),
  ],

  retry: defaultRetry('Slack itself retries Events API deliveries three times (immediately, 1 min, 5 min).'),
};
