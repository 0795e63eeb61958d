import type { Page } from '../../../shared/paging';
import type { AttemptView, EndpointSeriesPoint, MessageView } from '../../../shared/types';
import { decodeCursor, NO_ROW_ABOVE, pageFrom } from '../store/keyset';
import { ask, type EndpointSteps } from './endpoint-ops';
import { existingEndpoint, note, type Change } from './endpoint-steps';
import { triggerMessage } from './enqueue';
import { checkResendable, resendRun, toMessageView } from './messages';
import { seriesFrom } from './stats';

/**
 * An endpoint's messages and attempts in the control API, written once for both stores as
 * steps (see endpoint-ops.ts): the lists and pages, the chart, triggers and resends.
 */

type PageParams = { cursor?: string | undefined; limit: number; total?: boolean | undefined };

export function* endpointMessages(id: string, limit: number): EndpointSteps<MessageView[]> {
  yield* existingEndpoint(id);
  return yield* ask('messagesBelow', id, NO_ROW_ABOVE, limit);
}

export function* endpointAttempts(id: string, limit: number): EndpointSteps<AttemptView[]> {
  yield* existingEndpoint(id);
  return yield* ask('attemptsBelow', id, NO_ROW_ABOVE, limit);
}

/** A page of messages below the cursor the previous page gave (see store/keyset.ts). */
export function* messagesPage(id: string, page: PageParams): EndpointSteps<Page<MessageView>> {
  yield* existingEndpoint(id);
  const rows = yield* ask('messagesBelow', id, decodeCursor('messages', page.cursor), page.limit + 1);
  return pageFrom('messages', page, rows, page.total ? yield* ask('countMessages', id) : undefined);
}

export function* attemptsPage(id: string, page: PageParams): EndpointSteps<Page<AttemptView>> {
  yield* existingEndpoint(id);
  const rows = yield* ask('attemptsBelow', id, decodeCursor('attempts', page.cursor), page.limit + 1);
  return pageFrom('attempts', page, rows, page.total ? yield* ask('countAttempts', id) : undefined);
}

export function* endpointSeries(id: string, since: number, bucketMs: number): EndpointSteps<EndpointSeriesPoint[]> {
  yield* existingEndpoint(id);
  return seriesFrom(yield* ask('seriesRows', id, since), since, bucketMs);
}

export function* trigger(id: string, event: string, now: number): EndpointSteps<Change<MessageView>> {
  const endpoint = yield* existingEndpoint(id);
  const rowId = yield* ask('insertMessage', triggerMessage(endpoint, event, now));
  return { result: toMessageView((yield* ask('messageByRowId', rowId))!), events: [], kick: true };
}

/** Samples queued a batch at a time; a store that slices its writes (SQLite) queues them one by one instead. */
export function* triggerMany(id: string, event: string, count: number, now: number): EndpointSteps<Change<{ ids: number[]; createdAt: number }>> {
  const endpoint = yield* existingEndpoint(id);
  const ids: number[] = [];
  while (ids.length < count) {
    const batch = Array.from({ length: Math.min(TRIGGER_BATCH, count - ids.length) }, () => triggerMessage(endpoint, event, now));
    ids.push(...(yield* ask('insertMessages', batch)));
  }
  return { result: { ids, createdAt: now }, events: [], kick: true };
}

const TRIGGER_BATCH = 500;

export function* resendMessage(rowId: number, now: number): EndpointSteps<Change<MessageView>> {
  const row = checkResendable(yield* ask('messageByRowId', rowId), rowId);
  const run = resendRun(row, now, true);
  yield* ask('resendMessages', [run]);
  const message = toMessageView({ ...row, ...run });
  const { name } = yield* existingEndpoint(row.endpointId);
  const noted = yield* note('resent', `Message ${message.messageId} (${message.event}) to endpoint ${name} queued to send again.`, now);
  return { result: message, events: [noted], kick: true };
}

export function* resendFailed(id: string, since: number, now: number): EndpointSteps<Change<{ resent: number }>> {
  const { name } = yield* existingEndpoint(id);
  const failed = yield* ask('failedSince', id, since);
  if (failed.length === 0) return { result: { resent: 0 }, events: [], kick: true };
  yield* ask('resendMessages', failed.map((row) => resendRun(row, now, false)));
  const n = failed.length;
  const noted = yield* note('resent', `${n} failed message${n === 1 ? '' : 's'} to endpoint ${name} (since ${new Date(since).toISOString()}) queued to send again.`, now);
  return { result: { resent: n }, events: [noted], kick: true };
}
