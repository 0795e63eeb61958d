/**
 * Events from the channel enter the receiver path as they are read: each is handed on at
 * once rather than after the one before it is on disk, so the events read together share
 * one commit and one WAL flush (the delivery writer's group commit). `stored()` tells the
 * stream's reader when it may read on.
 *
 * While a silent stream is kept open beside its replacement, smee sends each event to
 * both: the same relayed event (same bytes, down to smee's own timestamp) is taken once.
 */
import { createHash } from 'node:crypto';

/** Relayed events remembered for spotting the same one on a second stream. */
const REMEMBERED = 4096;

export function createIntake(handle: (data: string) => Promise<void>) {
  const pending = new Set<Promise<void>>();
  const recent = new Set<string>();
  let lastTaken = -Infinity;

  return {
    /** Hands an event on; false when the same relayed event was already taken. */
    take(data: string): boolean {
      const key = createHash('sha1').update(data).digest('base64');
      if (recent.has(key)) return false;
      recent.add(key);
      if (recent.size > REMEMBERED) recent.delete(recent.values().next().value!);
      lastTaken = performance.now();
      const work = handle(data).finally(() => pending.delete(work));
      pending.add(work);
      return true;
    },
    /**
     * Events are waiting to be stored, or one was taken within the last millisecond: as with
     * the receiver's requests, no time for ingest to take the thread.
     */
    busy: (): boolean => pending.size > 0 || performance.now() - lastTaken < 1,
    /** Settles once every event taken so far is stored (or known not to be). */
    async stored(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
