/**
 * Keeps each endpoint's counts on screen current when messages are queued without an
 * attempt to report: for a disabled endpoint (its messages wait), for a busy one, and
 * when the queuing happened in another process (the CLI beside a running serve).
 * New message rows are found by id; another process's commits by SQLite's data_version.
 */
import { eq } from 'drizzle-orm';
import type { PushEvent } from '../../../shared/contract';
import type { EngineBus } from '../bus';
import type { Db } from '../db/open';
import { endpoints } from '../db/schema';
import { toEndpointSummary } from './endpoints';
import { prepareQueueStatements } from './queue-statements';

/** How soon after a release (or anything else queued here) the counts are pushed. */
const SOON_MS = 200;

export function createQueueWatch(db: Db, bus: EngineBus, options: { intervalMs?: number } = {}) {
  const q = prepareQueueStatements(db);
  let seenMessageId = q.newestMessageId();
  let seenVersion = q.dataVersion();
  /** What was last pushed per endpoint, so an unchanged summary is not pushed again. */
  const lastPushed = new Map<string, string>();
  let poll: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;
  let off: (() => void) | null = null;

  function push(ids: Iterable<string>): void {
    for (const id of ids) {
      const row = db.select().from(endpoints).where(eq(endpoints.id, id)).get();
      if (!row) {
        lastPushed.delete(id);
        continue;
      }
      const summary = toEndpointSummary(db, row);
      const key = JSON.stringify(summary);
      if (lastPushed.get(id) === key) continue;
      lastPushed.set(id, key);
      bus.publish({ type: 'endpoint', endpoint: summary });
    }
  }

  function check(): void {
    const newest = q.newestMessageId();
    const version = q.dataVersion();
    const grown = newest > seenMessageId ? q.endpointsWithMessagesAfter(seenMessageId) : [];
    seenMessageId = Math.max(seenMessageId, newest);
    // Another process committed: it may have enabled, disabled or re-queued anything.
    const elsewhere = version !== seenVersion ? db.select({ id: endpoints.id }).from(endpoints).all().map((r) => r.id) : [];
    seenVersion = version;
    if (grown.length || elsewhere.length) push(new Set([...grown, ...elsewhere]));
  }

  function checkSoon(): void {
    if (soon || !poll) return;
    soon = setTimeout(() => {
      soon = null;
      check();
    }, SOON_MS);
    soon.unref();
  }

  const queuesHere = (event: PushEvent) => event.type === 'release' || event.type === 'packages' || event.type === 'delivery';

  return {
    start(): void {
      if (poll) return;
      poll = setInterval(check, options.intervalMs ?? 1000);
      poll.unref();
      off = bus.subscribe((event) => {
        if (queuesHere(event)) checkSoon();
      });
    },
    /** Something was queued in this process: push the counts shortly. */
    checkSoon,
    stop(): void {
      if (poll) clearInterval(poll);
      if (soon) clearTimeout(soon);
      poll = soon = null;
      off?.();
      off = null;
    },
  };
}

export type QueueWatch = ReturnType<typeof createQueueWatch>;
