import type { attempts } from '../db/schema';
import { headersForStorage } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import type { Finished } from './dispatch-queue';
import { effectiveDelays } from './endpoints';
import type { MessageRow } from './messages';
import { decideRetry } from './retry';

export type AttemptValues = Omit<typeof attempts.$inferSelect, 'id'>;

/** What one finished attempt writes, whichever store it goes to. */
export interface Settlement {
  ok: boolean;
  attempt: AttemptValues;
  /** The message's new columns. */
  message: Pick<MessageRow, 'state' | 'attemptCount' | 'manualNext' | 'nextAttemptAt' | 'lastStatus' | 'lastError' | 'updatedAt'>;
  /** Set when the answer means the endpoint should be disabled: why. */
  disable: string | null;
}

/** Decides how an attempt settles its message: done, failed, or due again when the retry schedule says. */
export function settle(box: SecretBox, { endpoint, message, req, result, startedAt, trigger }: Finished, finishedAt: number, delayScale = 1): Settlement {
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  const attemptNo = message.attemptCount + 1;
  const error = result.error ?? (ok ? null : `HTTP ${result.status}`);
  const attempt: AttemptValues = {
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
  return {
    ok,
    attempt,
    message: { state, attemptCount: attemptNo, manualNext: false, nextAttemptAt, lastStatus: result.status, lastError, updatedAt: finishedAt },
    disable,
  };
}
