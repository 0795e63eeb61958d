import { and, asc, eq, lt } from 'drizzle-orm';
import type { PushEvent } from '../../../shared/contract';
import type { Db } from '../db/open';
import { deliveries } from '../db/schema';
import { isBusy, lockRetryDelay } from '../db/write-lock';
import { createIngester } from './ingest-delivery';

/** Deliveries per ingest transaction: enough to share an fsync, few enough to keep the receiver answering. */
const BATCH = 32;
/** Longest an ingest transaction runs before the receiver gets the event loop back. */
const SLICE_MS = 3;
/**
 * While requests are being answered ingest waits, but never longer than this between slices.
 * A provider that gets no answer in time marks the delivery failed and sends it again, while a
 * release ingested later loses nothing, so answering comes first: under a flood ingest keeps
 * about a twentieth of the thread besides the gaps between requests (releases keep appearing,
 * about 2,000 a second in the bench) and clears the rest once the flood ends. Below
 * saturation it keeps up (no backlog at a steady 1,000 deliveries/s).
 */
const MAX_DEFER_MS = 50;
/**
 * How long a kick waits for more deliveries before ingesting: a tag push is not waiting on
 * anyone, and at a few hundred deliveries a second this turns one transaction per
 * delivery into one per burst.
 */
const GATHER_MS = 20;

export interface IngestWorkerOptions {
  /** True while the receiver has requests to answer: acknowledging comes before ingesting. */
  busy?: () => boolean;
  /** Deliveries from this id on are committed but not yet on disk (see the delivery writer); they wait. */
  unflushedFrom?: () => number | null;
}

async function yieldTo(busy: () => boolean): Promise<void> {
  const since = performance.now();
  await new Promise((resolve) => setImmediate(resolve));
  while (busy() && performance.now() - since < MAX_DEFER_MS) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * Drives ingest from the database, never from memory: whatever is pending is
 * processed in arrival order, including what a crash left behind.
 */
export function createIngestWorker(db: Db, publish: (event: PushEvent) => void, options: IngestWorkerOptions = {}) {
  const busy = options.busy ?? (() => false);
  const unflushedFrom = options.unflushedFrom ?? (() => null);
  const ingest = createIngester(db);
  let running: Promise<void> | null = null;
  /** Set while a kick is gathering: starts the drain now. */
  let startNow: (() => void) | null = null;
  let again = false;
  let stopped = false;

  const nextPending = () => {
    const from = unflushedFrom();
    return db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.outcome, 'pending'), from === null ? undefined : lt(deliveries.id, from)))
      .orderBy(asc(deliveries.id))
      .limit(BATCH)
      .all();
  };

  /** Ingests one slice; false when it could not, and the drain should stop until the next kick. */
  async function slice(ids: number[]): Promise<boolean> {
    for (let tries = 0; !stopped; tries++) {
      try {
        for (const event of ingest(ids, SLICE_MS)) publish(event);
        return true;
      } catch (error) {
        if (!isBusy(error)) {
          // The deliveries stay pending; the next kick (at the latest the serving process's poll) tries again.
          console.error('hookbench: ingest failed, will retry:', (error as Error).message);
          return false;
        }
      }
      // Another process holds the write lock: wait a moment, without blocking the thread.
      await new Promise((resolve) => setTimeout(resolve, lockRetryDelay(tries)));
    }
    return false;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (let batch = nextPending(); batch.length > 0 && !stopped; batch = nextPending()) {
        if (!(await slice(batch.map((b) => b.id)))) return;
        await yieldTo(busy);
      }
    } while (again && !stopped);
  }

  /** Ingests what is pending, after gathering for a while unless `gather` is false. */
  function kick(gather = true): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      if (startNow) {
        if (!gather) startNow();
      } else again = true;
      return running;
    }
    // Started on a later turn at the soonest, so the answers waiting on the commit that kicked it go out first.
    running = new Promise<void>((resolve) => {
      const timer = gather ? setTimeout(() => startNow?.(), GATHER_MS) : null;
      startNow = () => {
        if (timer) clearTimeout(timer);
        startNow = null;
        setImmediate(resolve);
      };
      if (!timer) startNow();
    })
      .then(drain)
      .catch((error: unknown) => console.error('hookbench: ingest stopped until the next kick:', (error as Error).message))
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    kick,
    /** Resolves once nothing is pending. */
    idle: () => kick(false),
    /**
     * Lets an ingest already kicked here run to the end, so what this process stored (a
     * replay from the CLI) is ingested before it exits; starts nothing otherwise.
     */
    finish(): Promise<void> {
      if (!running) return Promise.resolve();
      startNow?.();
      return running;
    },
    stop(): Promise<void> {
      stopped = true;
      startNow?.();
      return running ?? Promise.resolve();
    },
  };
}

export type IngestWorker = ReturnType<typeof createIngestWorker>;
