import { ApiError } from '../../../shared/contract';
import type { ReplayOptions } from '../../../shared/types';
import type { replays } from '../db/schema';
import { send } from '../outbound/http-send';
import { HeaderList } from '../receiver/headers';
import type { Receiver } from '../receiver/server';
import { headersForStorage } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { PreparedReplay } from './replay';

/** A replay as recorded (its row, without the id): the same on either store. */
export type ReplayValues = Omit<typeof replays.$inferInsert, 'id'>;

/** Where replays into this Hookbench arrive: its own receiver, in process. */
export type ReplayReceiver = Pick<Receiver, 'receive' | 'receiveInbox'>;

/** Into this Hookbench's own receiver (a package's hook, or an inbox): the answer and the delivery it became. */
async function receiveHere(
  receiver: ReplayReceiver,
  { captured, hook, inbox, method, request }: PreparedReplay,
): Promise<{ status: number; body: Record<string, unknown>; deliveryId: number | null }> {
  if (inbox) {
    const answer = await receiver.receiveInbox({ inboxId: inbox.id, method, path: captured.path ?? '', headers: request.headers, body: request.body, source: 'replay', replayOf: captured.ref });
    if (!answer) throw new ApiError('not_found', `No inbox with id ${inbox.id}.`);
    return { ...answer, deliveryId: typeof answer.body.capture === 'number' ? answer.body.capture : null };
  }
  const answer = await receiver.receive({ hookId: hook!.hookId, source: 'replay', replayOf: captured.ref, remoteAddress: null, headers: new HeaderList(request.headers), body: request.body }, hook!);
  return { ...answer, deliveryId: typeof answer.body.delivery === 'number' ? answer.body.delivery : null };
}

/**
 * Sends a prepared replay (into this Hookbench's receiver, or to a URL) and gives the row to
 * record for it; the store that records it is the caller's.
 */
export async function sendReplay(receiver: ReplayReceiver | undefined, box: SecretBox, prepared: PreparedReplay, mode: ReplayOptions['mode']): Promise<ReplayValues> {
  if (!receiver) throw new ApiError('internal', 'Replays need the engine\u2019s receiver.');
  const { captured, hook, inbox, method, targetUrl, request } = prepared;
  const createdAt = Date.now();
  const sent = { source: captured.ref, mode, method, targetUrl, requestHeaders: headersForStorage(box, request.headers), requestBody: request.body, createdAt };
  if (hook || inbox) {
    const started = performance.now();
    const answer = await receiveHere(receiver, prepared);
    return {
      ...sent,
      status: answer.status,
      responseHeaders: JSON.stringify([['content-type', 'application/json']]),
      responseBody: Buffer.from(JSON.stringify(answer.body)),
      durationMs: Math.round(performance.now() - started),
      error: null,
      deliveryId: answer.deliveryId,
    };
  }
  const result = await send({ url: targetUrl, method, headers: request.headers, body: request.body, timeoutMs: 15_000 });
  return {
    ...sent,
    status: result.status,
    responseHeaders: headersForStorage(box, result.headers),
    responseBody: result.body,
    durationMs: result.durationMs,
    error: result.error,
    deliveryId: null,
  };
}
