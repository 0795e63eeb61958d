/**
 * How an engine event travels between instances in one NOTIFY payload. PostgreSQL refuses a
 * payload of 8000 bytes or more, so an event that does not fit travels as a `reload` notice
 * instead: its type, and the endpoint or delivery it was about. Cutting fields to make it fit
 * would show a window a wrong value (an attempt's answer cut short, a tunnel's gaps missing);
 * the notice makes the window read what that event feeds from the database they share, which
 * is the truth. Large events are rare (an attempt or a forward carrying a long answer, a
 * tunnel status with many gaps), so the extra read costs little.
 */
import type { PushEvent } from '../../../shared/contract';

/** Bytes, strictly below PostgreSQL's 8000, with room for a server encoding other than UTF-8 to differ a little. */
export const NOTIFY_PAYLOAD_LIMIT = 7_900;

export interface Envelope {
  /** The instance that published the event. */
  from: string;
  event: PushEvent;
}

type Reload = Extract<PushEvent, { type: 'reload' }>;

/** The notice sent in place of an event too large to relay whole. */
export function reloadNotice(event: PushEvent): Reload {
  switch (event.type) {
    case 'attempt':
      return { type: 'reload', of: event.type, endpointId: event.attempt.endpointId };
    case 'message':
      return { type: 'reload', of: event.type, endpointId: event.message.endpointId };
    case 'endpoint':
      return { type: 'reload', of: event.type, endpointId: event.endpoint.id };
    case 'delivery':
      return { type: 'reload', of: event.type, deliveryId: event.delivery.id };
    case 'forward':
      return { type: 'reload', of: event.type, deliveryId: event.deliveryId };
    case 'reload':
      return event;
    default:
      return { type: 'reload', of: event.type };
  }
}

/** The payload to NOTIFY: the event itself when it fits, its reload notice otherwise. */
export function encodeEnvelope(from: string, event: PushEvent): string {
  const whole = JSON.stringify({ from, event } satisfies Envelope);
  if (Buffer.byteLength(whole, 'utf8') < NOTIFY_PAYLOAD_LIMIT) return whole;
  return JSON.stringify({ from, event: reloadNotice(event) } satisfies Envelope);
}

/** null for a payload that is not an envelope (something else notified on the channel). */
export function decodeEnvelope(payload: string | undefined): Envelope | null {
  if (!payload) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { from, event } = parsed as { from?: unknown; event?: unknown };
  if (typeof from !== 'string' || typeof event !== 'object' || event === null) return null;
  if (typeof (event as { type?: unknown }).type !== 'string') return null;
  return { from, event: event as PushEvent };
}
