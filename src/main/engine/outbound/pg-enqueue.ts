import type { PoolClient } from 'pg';
import type { EngineEvent } from '../../../shared/types';
import { pgNames } from '../db/pg/transaction';
import { endpoints, messages } from '../db/schema';
import { engineEventMessages, newMessageId, subscribed } from './enqueue';
import type { EndpointRow } from './endpoints';
import type { EngineEventData } from './render';

const e = pgNames(endpoints);
const m = pgNames(messages);
const messageColumns = ['messageId', 'endpointId', 'event', 'body', 'contentType', 'source', 'state', 'nextAttemptAt', 'createdAt', 'updatedAt'];

/** Queuing engine events on PostgreSQL, each statement named so every pooled connection prepares it once. */
export const pgEnqueueSql = {
  // Disabled endpoints are included: their messages wait until they are enabled again.
  endpoints: { name: 'hb_enqueue_endpoints', text: `SELECT ${e.selectList()} FROM ${e.name}` },
  insertMessage: {
    name: 'hb_enqueue_event_message',
    text: `INSERT INTO ${m.name} (${messageColumns.map(m.column).join(', ')}) VALUES ($1, $2, $3, $4, $5, 'event', 'pending', $6, $6, $6)`,
  },
};

/**
 * enqueueEngineEvent's PostgreSQL form, in the caller's transaction so the event and what
 * caused it commit together: the same messages (engineEventMessages) for the same endpoints.
 * `data` is read only when some endpoint listens; undefined then means nothing to announce.
 */
export async function pgEnqueueEngineEvent(
  client: PoolClient,
  event: EngineEvent,
  data: EngineEventData | (() => Promise<EngineEventData | undefined>),
  at: number,
  id: string = newMessageId(),
): Promise<number> {
  const listening = (await client.query<EndpointRow>(pgEnqueueSql.endpoints)).rows;
  if (!listening.some((row) => subscribed(row, event))) return 0;
  const payload = typeof data === 'function' ? await data() : data;
  if (!payload) return 0;
  const queued = engineEventMessages(listening, event, payload, at, id);
  for (const message of queued) {
    await client.query({ ...pgEnqueueSql.insertMessage, values: [message.messageId, message.endpoint.id, message.event, message.body, message.contentType, at] });
  }
  return queued.length;
}
