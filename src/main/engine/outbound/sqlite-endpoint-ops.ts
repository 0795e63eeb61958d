import { eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { endpoints } from '../db/schema';
import { recordActivity } from '../store/activity';
import { countAttempts, countMessages, hasPackage } from '../store/list-counts';
import type { EndpointOps } from './endpoint-ops';
import { insertMessage } from './enqueue';
import { findEndpointRow, removeEndpointWithHistory } from './endpoints';
import { failedSince, findMessageRow, listAttempts, listMessages, writeResends } from './messages';
import { readSeriesRows, readStatsInputs } from './stats';

/** The endpoint methods' store operations on a SQLite data dir, answered at once. */
export function sqliteEndpointOps(db: Db): EndpointOps {
  return {
    endpointById: (id) => findEndpointRow(db, id),
    allEndpoints: () => db.select().from(endpoints).orderBy(endpoints.createdAt, endpoints.id).all(),
    packageExists: (id) => hasPackage(db, id),
    statsInputs: (endpointId) => readStatsInputs(db, endpointId),
    insertEndpoint: (row) => void db.insert(endpoints).values(row).run(),
    updateEndpoint: (id, changes) => void db.update(endpoints).set(changes).where(eq(endpoints.id, id)).run(),
    removeEndpoint: (id) => removeEndpointWithHistory(db, id),
    recordActivity: (values) => recordActivity(db, values),
    messageByRowId: (rowId) => findMessageRow(db, rowId),
    failedSince: (endpointId, since) => failedSince(db, endpointId, since),
    resendMessages: (runs) => writeResends(db, runs),
    insertMessage: (message) => insertMessage(db, message),
    insertMessages: (messages) => messages.map((message) => insertMessage(db, message)),
    messagesBelow: (endpointId, beforeId, limit) => listMessages(db, endpointId, limit, beforeId),
    attemptsBelow: (endpointId, beforeId, limit) => listAttempts(db, { endpointId, beforeId, limit }),
    countMessages: (endpointId) => countMessages(db, endpointId),
    countAttempts: (endpointId) => countAttempts(db, endpointId),
    seriesRows: (endpointId, since) => readSeriesRows(db, endpointId, since),
  };
}
