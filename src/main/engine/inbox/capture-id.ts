import { createHash } from 'node:crypto';
import { deliveryIdOf } from '../../../shared/header-names';
import type { HeaderList } from '../receiver/headers';
import { NO_DIALECT } from './inboxes';

/** Senders that put the event's id in the body rather than in a header: the field that holds it. */
const BODY_ID_FIELD: Record<string, string> = { stripe: 'id', repsy: 'event_id', slack: 'event_id' };

/** Header ids beyond the common delivery-id headers. */
const MORE_ID_HEADERS = ['x-shopify-webhook-id'];

/** Bodies larger than this are not parsed for an id (hashing them still tells identical bytes apart). */
const PARSE_LIMIT = 1024 * 1024;

function bodyId(field: string, body: Buffer): string | null {
  if (body.length === 0 || body.length > PARSE_LIMIT) return null;
  try {
    const value = (JSON.parse(body.toString('utf8')) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' && value !== '' ? value : null;
  } catch {
    return null;
  }
}

/**
 * What makes two captures the same event sent again: the dialect's id (a delivery-id header, or
 * Stripe's event id, Repsy's and Slack's event_id in the body), else, for a signed dialect
 * whose sender sends no id (Privato, Sigmagit), identical bytes. Dialect `none` has none.
 */
export function captureIdOf(dialect: string, headers: HeaderList, body: Buffer): string | null {
  if (dialect === NO_DIALECT) return null;
  const fromHeader = deliveryIdOf(headers.pairs) ?? MORE_ID_HEADERS.map((name) => headers.get(name)).find((v) => v !== undefined && v !== '');
  if (fromHeader) return fromHeader;
  const field = BODY_ID_FIELD[dialect];
  const fromBody = field ? bodyId(field, body) : null;
  if (fromBody) return fromBody;
  return body.length > 0 ? 'sha256:' + createHash('sha256').update(body).digest('hex') : null;
}
