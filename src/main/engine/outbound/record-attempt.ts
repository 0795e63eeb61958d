import type { PushEvent } from '../../../shared/contract';
import type { Db } from '../db/open';
import { headersForStorage } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { recordEndpointActivity } from './endpoint-activity';
import { effectiveDelays, type EndpointRow } from './endpoints';
import type { SendRequest, SendResult } from './http-send';
import { toAttemptView, toMessageView, type MessageRow } from './messages';
import { decideRetry } from './retry';
import type { DispatchStatements } from './statements';

/** A send whose answer (or failure) is in, waiting to be recorded. */
export interface Finished {
  endpoint: EndpointRow;
  message: MessageRow;
  req: SendRequest;
  result: SendResult;
  startedAt: number;
  trigger: 'scheduled' | 'manual';
}

/**
 * Records an attempt and settles its message: done, failed, or due again when the retry
 * schedule says; call inside a transaction. Returns the events to publish once it commits.
 */
export function attemptRecorder(db: Db, box: SecretBox, q: DispatchStatements, now: () => number, delayScale = 1) {
  return function record({ endpoint, message, req, result, startedAt, trigger }: Finished): PushEvent[] {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const attemptNo = message.attemptCount + 1;
    const finishedAt = now();
    const error = result.error ?? (ok ? null : `HTTP ${result.status}`);
    const written = {
      messageRowId: message.id,
      endpointId: endpoint.id,
      attemptNo,
      trigger,
      startedAt,
      url: req.url,
      requestHeaders: headersForStorage(box, req.headers),
      status: result.status,
      responseHeaders: headersForStorage(box, result.headers),
      responseBody: result.body,
      responseTruncated: result.truncated,
      durationMs: result.durationMs,
      error,
      succeeded: ok,
    };
    let state: MessageRow['state'] = 'succeeded';
    let nextAttemptAt: number | null = null;
    let lastError: string | null = null;
    let disable: string | null = null;
    if (!ok) {
      const retryAfter = result.headers.find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
      // A resend starts the schedule over: only the attempts since it count toward it.
      const schedule = effectiveDelays(endpoint);
      const scaled = delayScale === 1 ? schedule : { ...schedule, delaysSeconds: schedule.delaysSeconds.map((s) => s * delayScale) };
      const decision = decideRetry({ status: result.status, retryAfter, attemptsMade: attemptNo - message.runFrom }, scaled, finishedAt);
      state = decision.nextAttemptAt === null ? 'failed' : 'pending';
      nextAttemptAt = decision.nextAttemptAt;
      lastError = `${error}. ${decision.note}`;
      disable = decision.disable;
    }
    // The endpoint (and with it the message) was removed while this send was out: nothing to record.
    if (q.settle({ id: message.id, state, attemptCount: attemptNo, manualNext: false, nextAttemptAt, lastStatus: result.status, lastError, updatedAt: finishedAt }) === 0) return [];
    const id = q.insertAttempt(written);
    const disabled = disable !== null && q.disable(endpoint.id, disable, finishedAt).changes > 0;
    q.countFailure(endpoint.id, ok);
    const settled = { ...message, state, attemptCount: attemptNo, manualNext: false, nextAttemptAt, lastStatus: result.status, lastError, updatedAt: finishedAt };
    return [
      ...(disabled ? [{ type: 'activity', entry: recordEndpointActivity(db, 'endpoint_auto_disabled', `Endpoint ${endpoint.name} disabled automatically: ${disable}`, finishedAt) } as const] : []),
      { type: 'attempt', attempt: toAttemptView({ id, ...written }, message.messageId) },
      { type: 'message', message: toMessageView(settled) },
    ] satisfies PushEvent[];
  };
}
