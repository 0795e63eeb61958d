import type { Pool, PoolClient } from 'pg';
import type { AttemptView, MessageView } from '../../../shared/types';
import type { AsyncOps } from '../store/steps';
import { toActivity } from '../store/rows';
import type { EndpointOps } from './endpoint-ops';
import type { NewMessage } from './enqueue';
import type { EndpointRow } from './endpoints';
import { toAttemptView, toMessageView, type MessageRow } from './messages';
import { insertEndpointQuery, pgEndpointSql as sql, updateEndpointQuery } from './pg-endpoint-statements';
import { RECENT_ATTEMPTS, type SeriesRow } from './stats';

type ActivityRow = Parameters<typeof toActivity>[0];
type AttemptRow = Parameters<typeof toAttemptView>[0] & { messageEventId: string; messageEvent: string };

/**
 * The endpoint methods' store operations on a team server's PostgreSQL database: on a
 * transaction's connection for a change, on the pool for a read.
 */
export function pgEndpointOps(db: Pool | PoolClient): AsyncOps<EndpointOps> {
  const rows = async <T>(query: { name: string; text: string }, values: unknown[]) => (await db.query<T & object>({ ...query, values })).rows as T[];
  const one = async <T>(query: { name: string; text: string }, values: unknown[]) => (await rows<T>(query, values))[0];
  const count = async (query: { name: string; text: string }, endpointId: string) => (await one<{ n: number }>(query, [endpointId]))?.n ?? 0;
  const insertMessages = async (messages: NewMessage[]) => {
    const column = <T>(pick: (m: NewMessage) => T) => messages.map(pick);
    const inserted = await rows<{ id: number }>(sql.insertMessages, [
      column((m) => m.messageId),
      column((m) => m.endpoint.id),
      column((m) => m.event),
      column((m) => m.body),
      column((m) => m.contentType),
      column((m) => (m.extraHeaders ? JSON.stringify(m.extraHeaders) : null)),
      column((m) => m.signed ?? true),
      column((m) => m.source),
      column((m) => m.now),
    ]);
    return inserted.map((r) => r.id);
  };
  return {
    endpointById: (id) => one<EndpointRow>(sql.endpointById, [id]),
    allEndpoints: () => rows<EndpointRow>(sql.allEndpoints, []),
    packageExists: async (id) => (await one(sql.packageExists, [id])) !== undefined,
    async statsInputs(endpointId) {
      const totals = await one<{ total: number; ok: number }>(sql.attemptTotals, [endpointId]);
      const recent = await rows<{ ms: number | null; status: number | null; at: number }>(sql.recentAttempts, [endpointId, RECENT_ATTEMPTS]);
      const queue = await one<{ failed: number; pending: number }>(sql.queueCounts, [endpointId]);
      return { total: totals?.total ?? 0, ok: totals?.ok ?? 0, recent, failed: queue?.failed ?? 0, pending: queue?.pending ?? 0 };
    },
    insertEndpoint: async (row) => void (await db.query(insertEndpointQuery(row))),
    updateEndpoint: async (id, changes) => void (await db.query(updateEndpointQuery(id, changes))),
    removeEndpoint: async (id) => void (await db.query({ ...sql.deleteEndpoint, values: [id] })),
    recordActivity: async (v) => toActivity((await one<ActivityRow>(sql.insertActivity, [v.at, v.kind, v.message, v.packageId, v.packageName, v.deliveryId, v.releaseId]))!),
    messageByRowId: (rowId) => one<MessageRow>(sql.messageForUpdate, [rowId]),
    failedSince: (endpointId, since) => rows<Pick<MessageRow, 'id' | 'attemptCount' | 'source'>>(sql.failedSince, [endpointId, since]),
    async resendMessages(runs) {
      const column = <T>(pick: (run: (typeof runs)[number]) => T) => runs.map(pick);
      await db.query({
        ...sql.resendMessages,
        values: [
          column((r) => r.id),
          column((r) => r.state),
          column((r) => r.runFrom),
          column((r) => r.manualNext),
          column((r) => r.nextAttemptAt),
          column((r) => r.updatedAt),
          column((r) => r.source),
        ],
      });
    },
    insertMessage: async (message) => (await insertMessages([message]))[0]!,
    insertMessages,
    messagesBelow: async (endpointId, beforeId, limit): Promise<MessageView[]> => (await rows<MessageRow>(sql.messagesBelow, [endpointId, beforeId, limit])).map(toMessageView),
    attemptsBelow: async (endpointId, beforeId, limit): Promise<AttemptView[]> =>
      (await rows<AttemptRow>(sql.attemptsBelow, [endpointId, beforeId, limit])).map(({ messageEventId, messageEvent, ...attempt }) => toAttemptView(attempt, messageEventId, messageEvent)),
    countMessages: (endpointId) => count(sql.countMessages, endpointId),
    countAttempts: (endpointId) => count(sql.countAttempts, endpointId),
    seriesRows: (endpointId, since) => rows<SeriesRow>(sql.seriesRows, [endpointId, since]),
  };
}
