/** Headers that name the event, by sender. */
const EVENT_HEADERS = ['x-github-event', 'x-gitea-event', 'x-gogs-event', 'x-gitlab-event', 'x-shopify-topic', 'x-sigmagit-event'];

/** Bodies larger than this are not parsed for an event name. */
const PARSE_LIMIT = 1024 * 1024;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

function bodyEvent(body: Buffer): string | null {
  if (body.length === 0 || body.length > PARSE_LIMIT) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const o = parsed as Record<string, unknown>;
  // Slack wraps the event: its own type is "event_callback", the event's is inside.
  const inner = o.event !== null && typeof o.event === 'object' ? text((o.event as Record<string, unknown>).type) : null;
  // Stripe and Standard Webhooks: `type`; Repsy: `event_type`; others: `event`.
  return inner ?? text(o.type) ?? text(o.event_type) ?? text(o.event);
}

/**
 * The event a capture is about, whatever its sender: an event header (GitHub, Gitea, GitLab,
 * Shopify, Sigmagit), else the payload's own type field (Stripe, Standard Webhooks, Repsy,
 * Slack). null when neither says.
 */
export function captureEventOf(headers: readonly (readonly [string, string])[], body: Buffer): string | null {
  for (const [name, value] of headers) if (EVENT_HEADERS.includes(name.toLowerCase()) && value !== '') return value;
  return bodyEvent(body);
}
