import { decideRetry } from '../../outbound/retry';
import { headersForStorage } from '../../secrets/header-seal';
import type { SecretBox } from '../../secrets/secret-box';
import type { DecideSettlement } from './forward-queue';
import type { Settled } from './statements';
import { DEFAULT_FORWARD_RETRY } from './targets';

/**
 * How an attempt leaves its forward, on either store: delivered on a 2xx; otherwise retried on
 * the target's own schedule through the outbound retry rules (Retry-After, 410 Gone), failed
 * once the schedule runs out or the target is gone.
 */
export function forwardSettlement(box: SecretBox): DecideSettlement {
  return ({ row, result }, target, at): Settled => {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const attempts = row.attempts + 1;
    let state: Settled['state'] = 'delivered';
    let nextAttemptAt: number | null = null;
    let error = result.error;
    if (!ok) {
      const delaysSeconds = target ? (JSON.parse(target.retrySeconds) as number[]) : DEFAULT_FORWARD_RETRY;
      const retryAfter = result.headers.find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
      const decision = decideRetry({ status: result.status, retryAfter, attemptsMade: attempts }, { delaysSeconds, disableAfterExhausted: false }, at);
      // The target was removed meanwhile: nothing more is sent to it.
      nextAttemptAt = target ? decision.nextAttemptAt : null;
      state = nextAttemptAt === null ? 'failed' : 'pending';
      const note = target ? (result.status === 410 ? '410 Gone: no more attempts.' : decision.note) : 'The target was removed.';
      error = `${result.error ?? `HTTP ${result.status}`}. ${note}`;
    }
    return {
      state,
      attempts,
      nextAttemptAt,
      status: result.status,
      responseHeaders: headersForStorage(box, result.headers),
      responseBody: result.body,
      durationMs: result.durationMs,
      error,
      updatedAt: at,
    };
  };
}
