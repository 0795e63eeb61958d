import type { PushEvent } from '../../../shared/contract';
import type { PgIngester } from '../ingest/pg-ingest';

/** Deliveries another instance stored are ingested within this long, by whichever instance claims them first. */
const POLL_MS = 1000;
/** After a failed drain (the database unreachable), the next try waits this long rather than spinning. */
const RETRY_MS = 1000;
/** How long a kick waits for more deliveries, so a burst is ingested in a few transactions, not one per delivery. */
const GATHER_MS = 20;

/**
 * Ingest on a team server: one drain at a time per instance, started when this instance stored
 * a pending delivery and every second for what others stored. The database decides who ingests
 * what (claims skip rows another instance holds), so every instance can run this at once.
 */
export function createPgIngestLoop(ingester: PgIngester, publish: (event: PushEvent) => void, warn: (message: string) => void) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let poll: NodeJS.Timeout | null = null;

  async function drainWhileAsked(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
    do {
      again = false;
      try {
        await ingester.drain(publish);
      } catch (error) {
        warn(`Ingest on the database failed (tried again in ${RETRY_MS / 1000} s): ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        again = true;
      }
    } while (again && !stopped);
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = drainWhileAsked().finally(() => (running = null));
    return running;
  }

  return {
    kick,
    start(): Promise<void> {
      poll ??= setInterval(() => void kick(), POLL_MS);
      poll.unref();
      return kick();
    },
    /** Resolves once nothing is pending (or what is left is another instance's). */
    idle: (): Promise<void> => running ?? Promise.resolve(),
    async stop(): Promise<void> {
      stopped = true;
      if (poll) clearInterval(poll);
      await running;
    },
  };
}
