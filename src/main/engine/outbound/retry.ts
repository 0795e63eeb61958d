export interface RetryDecision {
  /** null: no more attempts. */
  nextAttemptAt: number | null;
  /** Disable the endpoint, with this reason. */
  disable: string | null;
  /** Why the schedule did what it did, for the attempt log. */
  note: string;
}

/** Retry-After as seconds or an HTTP date; capped so a hostile answer cannot park a message for ever. */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.min(ms, 24 * 3600 * 1000);
}

export interface AttemptOutcome {
  status: number | null;
  retryAfter: string | undefined;
  /** How many attempts this message has had, including this one. */
  attemptsMade: number;
}

export interface Schedule {
  delaysSeconds: number[];
  disableAfterExhausted: boolean;
}

/**
 * After a failed attempt: 410 means "gone, stop"; 429/502/503/504 may say when to
 * come back (Retry-After); otherwise the next delay of the schedule, until it runs out.
 */
export function decideRetry(outcome: AttemptOutcome, schedule: Schedule, now: number): RetryDecision {
  if (outcome.status === 410) {
    return { nextAttemptAt: null, disable: 'The endpoint answered 410 Gone.', note: '410 Gone: no more attempts; endpoint disabled.' };
  }
  const retryIndex = outcome.attemptsMade - 1;
  const delay = schedule.delaysSeconds[retryIndex];
  if (delay === undefined) {
    return {
      nextAttemptAt: null,
      disable: schedule.disableAfterExhausted ? `Every retry of a message failed (${outcome.attemptsMade} attempts).` : null,
      note: `Retry schedule exhausted after ${outcome.attemptsMade} attempts.`,
    };
  }
  const asked = [429, 502, 503, 504].includes(outcome.status ?? 0) ? retryAfterMs(outcome.retryAfter, now) : null;
  // "Slow down" never makes a retry come sooner than the schedule would: the longer wait wins.
  if (asked !== null && asked > delay * 1000) {
    return { nextAttemptAt: now + asked, disable: null, note: `Retry-After honoured: next attempt in ${Math.round(asked / 1000)} s.` };
  }
  const shorter = asked !== null ? ` (Retry-After asked for ${Math.round(asked / 1000)} s; the schedule waits longer)` : '';
  return { nextAttemptAt: now + delay * 1000, disable: null, note: `Next attempt in ${delay} s${shorter}.` };
}
