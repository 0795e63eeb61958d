/**
 * When to try the channel again. smee keeps nothing while no one listens, so every second
 * without a stream is a second of deliveries lost: the first retry after a drop is
 * immediate, then short jittered steps that never grow past a few seconds while the
 * server refuses. A connection that stayed up resets the count.
 */
export interface BackoffTuning {
  /** The step after the immediate retry; doubles per failure up to backoffMaxMs. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export const DEFAULT_BACKOFF_INITIAL_MS = 100;
export const DEFAULT_BACKOFF_MAX_MS = 1_000;
/** A stream that lived at least this long counts as a successful open; shorter ones (a flapping proxy) keep the backoff growing. */
export const HEALTHY_OPEN_MS = 1_000;

export function createBackoff(tuning: BackoffTuning = {}, random: () => number = Math.random) {
  const initialMs = tuning.backoffInitialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
  const maxMs = Math.max(initialMs, tuning.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS);
  let failures = 0;
  return {
    /** Failed attempts (or short-lived streams) in a row. */
    get failures(): number {
      return failures;
    },
    /** A stream opened and stayed up: the next failure retries at once. */
    succeeded(): void {
      failures = 0;
    },
    /** Counts a failure and says how long to wait before the next attempt. */
    failed(): number {
      failures++;
      if (failures === 1) return 0;
      const step = Math.min(maxMs, initialMs * 2 ** (failures - 2));
      // Jitter inside the step: many clients dropped at once do not return in step.
      return Math.round(step * (0.5 + random() * 0.5));
    },
  };
}
