import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import { isHopByHop } from '../../../shared/header-names';
import { isHiddenHeader } from '../../../shared/secret-headers';
import { ENGINE_EVENTS, type EngineEvent } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { preparedOn } from '../db/prepared';
import { endpoints, messages, type deliveries } from '../db/schema';
import { getDialect } from '../dialects';
import { getEndpointRow, type EndpointRow } from './endpoints';
import { discordMessage, fillTemplate, slackMessage } from './chat';
import { renderEvent, sampleEventData, type EngineEventData, type RenderContext } from './render';

export const newMessageId = () => 'msg_' + randomBytes(12).toString('base64url');

/** The same event for the same stored delivery always gets the same id. */
export const derivedMessageId = (event: string, deliveryRowId: number) =>
  'msg_' + createHash('sha256').update(`${event}:${deliveryRowId}`).digest('base64url').slice(0, 16);


/** A message to queue: pending, due now. */
export interface NewMessage {
  endpoint: EndpointRow;
  messageId: string;
  event: string;
  body: Buffer;
  contentType: string;
  extraHeaders?: [string, string][];
  signed?: boolean;
  source: 'event' | 'trigger' | 'relay';
  now: number;
}

const ph = (name: string) => sql.placeholder(name);

const insertMessageRow = preparedOn((db) =>
  db
    .insert(messages)
    .values({
      messageId: ph('messageId'),
      endpointId: ph('endpointId'),
      event: ph('event'),
      body: ph('body'),
      contentType: ph('contentType'),
      extraHeaders: ph('extraHeaders'),
      signed: ph('signed'),
      source: ph('source'),
      state: 'pending',
      nextAttemptAt: ph('now'),
      createdAt: ph('now'),
      updatedAt: ph('now'),
    })
    .returning({ id: messages.id })
    .prepare(),
);

export function insertMessage(tx: Queryable, m: NewMessage): number {
  return insertMessageRow(tx).get({
    messageId: m.messageId,
    endpointId: m.endpoint.id,
    event: m.event,
    body: m.body,
    contentType: m.contentType,
    extraHeaders: m.extraHeaders ? JSON.stringify(m.extraHeaders) : null,
    signed: m.signed ?? true ? 1 : 0,
    source: m.source,
    now: m.now,
  })!.id;
}

export const subscribed = (row: Pick<EndpointRow, 'events'>, event: string) => (JSON.parse(row.events) as string[]).includes(event);

// Disabled endpoints are included: their messages wait, pending, and are sent once they are enabled again.
const allEndpoints = preparedOn((db) => db.select().from(endpoints).prepare());

/**
 * Called inside the transaction that records the event, so the two commit together.
 * The payload and the message id are only made when some endpoint listens. A disabled
 * endpoint still gets its message: the dispatcher holds it back until the endpoint is enabled.
 */
export function enqueueEngineEvent(
  tx: Queryable,
  event: EngineEvent,
  data: EngineEventData | (() => EngineEventData),
  now = Date.now(),
  id: string | (() => string) = newMessageId,
): number {
  const queued = engineEventMessages(allEndpoints(tx).all(), event, data, now, id);
  for (const message of queued) insertMessage(tx, { ...message, source: 'event', now });
  return queued.length;
}

/** What each endpoint listening to an engine event is sent, as every store queues it (none: nobody listens). */
export function engineEventMessages(
  endpointRows: EndpointRow[],
  event: EngineEvent,
  data: EngineEventData | (() => EngineEventData),
  now: number,
  id: string | (() => string) = newMessageId,
): { endpoint: EndpointRow; messageId: string; event: string; body: Buffer; contentType: string }[] {
  const targets = endpointRows.filter((e) => subscribed(e, event));
  if (targets.length === 0) return [];
  const payload = typeof data === 'function' ? data() : data;
  const messageId = typeof id === 'function' ? id() : id;
  return targets.map((endpoint) => {
    const rendered = renderFor(endpoint, { event, data: payload, messageId, endpointUrl: endpoint.url, now });
    return { endpoint, messageId, event: rendered.event, body: rendered.body, contentType: rendered.contentType };
  });
}

/** The body an endpoint gets for an engine event, by its format. */
export function renderFor(endpoint: Pick<EndpointRow, 'format' | 'template' | 'dialect'>, ctx: RenderContext): { event: string; body: Buffer; contentType: string } {
  const asJson = (value: unknown) => ({ event: ctx.event, body: Buffer.from(JSON.stringify(value)), contentType: 'application/json' });
  if (endpoint.format === 'slack') return asJson(slackMessage(ctx.event, ctx.data));
  if (endpoint.format === 'discord') return asJson(discordMessage(ctx.event, ctx.data));
  if (endpoint.format === 'template' && endpoint.template) {
    const filled = fillTemplate(endpoint.template, { ...ctx.data, event: ctx.event, messageId: ctx.messageId, timestamp: new Date(ctx.now).toISOString() });
    return { event: ctx.event, body: Buffer.from(filled.body), contentType: filled.contentType };
  }
  return { ...renderEvent(endpoint.dialect, ctx), contentType: 'application/json' };
}

/** A sample of any event in the endpoint's dialect catalogue, like `stripe trigger`: the message either store queues. */
export function triggerMessage(endpoint: EndpointRow, eventName: string, now: number): NewMessage {
  const dialect = getDialect(endpoint.dialect);
  if ((ENGINE_EVENTS as string[]).includes(eventName)) {
    // Hookbench's own events: rendered from sample data exactly as a real one would be.
    const messageId = newMessageId();
    const rendered = renderFor(endpoint, { event: eventName as EngineEvent, data: sampleEventData(now), messageId, endpointUrl: endpoint.url, now });
    return { endpoint, messageId, event: rendered.event, body: rendered.body, contentType: rendered.contentType, source: 'trigger', now };
  }
  const sample = dialect.events.find((e) => e.name === eventName || `${e.name}:${e.variant ?? ''}` === eventName);
  if (!sample) {
    throw new ApiError('invalid_params', `The ${dialect.name} dialect has no "${eventName}" event; it has ${dialect.events.map((e) => e.name).join(', ')}.`);
  }
  return { endpoint, messageId: newMessageId(), event: sample.name, body: Buffer.from(JSON.stringify(sample.sample())), contentType: 'application/json', source: 'trigger', now };
}

export function enqueueTrigger(tx: Queryable, endpointId: string, eventName: string, now = Date.now()): { rowId: number; messageId: string } {
  const message = triggerMessage(getEndpointRow(tx, endpointId), eventName, now);
  return { rowId: insertMessage(tx, message), messageId: message.messageId };
}

/** A captured body (a fixture) sent to an endpoint, signed as the endpoint signs. */
export function enqueueBody(tx: Queryable, endpointId: string, m: { event: string; body: Buffer; contentType: string }, now = Date.now()): number {
  const endpoint = getEndpointRow(tx, endpointId);
  return insertMessage(tx, { endpoint, messageId: newMessageId(), ...m, source: 'trigger', now });
}

/** Raw inbound deliveries of a package, byte-exact, to the endpoints relaying it (a disabled one keeps them waiting). */
/**
 * What a package delivery becomes for one endpoint relaying it: the byte-exact body and, in
 * original mode, the provider's headers (never a credential: X-Gitlab-Token is the package
 * secret) with its signature kept instead of a new one. Both stores queue exactly this.
 */
export function relayMessage(delivery: Pick<typeof deliveries.$inferSelect, 'headers' | 'providerDeliveryId' | 'event' | 'body' | 'contentType'>, relayMode: string | null) {
  const original = relayMode === 'original';
  const headers = original ? (JSON.parse(delivery.headers) as [string, string][]) : [];
  return {
    messageId: delivery.providerDeliveryId ?? newMessageId(),
    event: delivery.event ?? 'inbound.relay',
    body: delivery.body,
    contentType: delivery.contentType ?? 'application/octet-stream',
    extraHeaders: headers.filter((pair) => !isHopByHop(pair[0]) && !isHiddenHeader(pair)),
    signed: !original,
    source: 'relay' as const,
  };
}

export function enqueueRelay(tx: Queryable, delivery: typeof deliveries.$inferSelect, now = Date.now()): number {
  if (!delivery.packageId) return 0;
  const targets = tx
    .select()
    .from(endpoints)
    .where(eq(endpoints.relayPackageId, delivery.packageId))
    .all();
  for (const endpoint of targets) insertMessage(tx, { endpoint, ...relayMessage(delivery, endpoint.relayMode), now });
  return targets.length;
}
