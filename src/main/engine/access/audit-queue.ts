import type { NewAuditEntry } from './statements';

export interface AuditQueueOptions {
  /** Entries per write. */
  batch?: number;
  /** After a failed write, how long before the next try. */
  retryMs?: number;
  /** Most entries kept while the database cannot be written; past it the oldest go, counted in a warning. */
  limit?: number;
  warn?: (message: string) => void;
}

/**
 * The audit log written behind the calls it records, for a store over the network: an entry is
 * queued at once (an API call neither waits for its audit row nor fails with it), and one writer
 * writes the queue in order, in batches. A failed write keeps its entries and is tried again;
 * flush() waits for everything queued so far, and close() flushes before the store goes away.
 */
export function createAuditQueue(write: (entries: NewAuditEntry[]) => Promise<void>, options: AuditQueueOptions = {}) {
  const { batch = 500, retryMs = 1000, limit = 100_000, warn = (message: string) => process.emitWarning(message) } = options;
  const queued: NewAuditEntry[] = [];
  /** The first entries of the queue, being written now: kept until the write succeeds. */
  let inFlight = 0;
  let writing: Promise<Error | null> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let failing = false;
  let closed = false;

  async function drain(): Promise<Error | null> {
    try {
      while (queued.length > 0) {
        const next = queued.slice(0, batch);
        inFlight = next.length;
        await write(next);
        queued.splice(0, next.length);
        inFlight = 0;
      }
      return null;
    } catch (error) {
      inFlight = 0;
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** One writer at a time; what is queued while it writes is written by it, or by the run it starts after. */
  function run(): Promise<Error | null> {
    if (retry) clearTimeout(retry);
    retry = null;
    writing ??= drain().then((error) => {
      writing = null;
      if (error) failed(error);
      else {
        failing = false;
        if (queued.length > 0) void run();
      }
      return error;
    });
    return writing;
  }

  function failed(error: Error): void {
    if (!failing) warn(`Could not write the audit log (${queued.length} entries wait; trying again every ${retryMs / 1000} s): ${error.message}`);
    failing = true;
    if (closed) return;
    retry = setTimeout(() => void run(), retryMs);
    retry.unref();
  }

  async function flush(): Promise<void> {
    while (queued.length > 0 || writing) {
      const error = await run();
      if (error) throw error;
    }
  }

  return {
    push(entry: NewAuditEntry): void {
      queued.push(entry);
      if (queued.length > limit) {
        queued.splice(inFlight, queued.length - limit);
        warn(`The audit log cannot keep up: its oldest unwritten entries were dropped to keep the last ${limit}.`);
      }
      if (!writing && !retry) void run();
    },
    flush,
    /** Writes what is queued; what cannot be written now is reported, not kept waiting for. */
    async close(): Promise<void> {
      closed = true;
      try {
        await flush();
      } catch (error) {
        warn(`${queued.length} audit log entries could not be written before closing: ${(error as Error).message}`);
      } finally {
        if (retry) clearTimeout(retry);
        retry = null;
      }
    },
    /** Entries not yet written. */
    size: () => queued.length,
  };
}

export type AuditQueue = ReturnType<typeof createAuditQueue>;
