import type { Pool } from 'pg';
import type { PushEvent } from '../../../../shared/contract';
import type { EngineBus } from '../../bus';

type Statement = { name: string; text: string };

/**
 * What the receiver looks up on every request (a hook, an inbox), kept in memory from a team
 * server's PostgreSQL database, because the receiver asks synchronously.
 *
 * - `lookup(id)` answers at once from the cache. The cache is read whole on start (await
 *   `refresh()` before serving), again at least every second, and whenever the bus carries
 *   an event saying the rows changed (this instance's own, or a peer's relayed through it).
 * - The miss path: `await lookup.fresh(id)` reads that one row from PostgreSQL now and puts
 *   it in (or takes it out of) the cache. A receiver calls it before answering "unknown" and
 *   before refusing a signature, so a row another instance changed within the last second
 *   is still seen. `lookup(id, true)` (the SQLite lookup's "skip the cache") cannot wait: it
 *   answers from the cache and starts that read, so the next request sees its result.
 */
export interface PgLookup<T> {
  (id: string, fresh?: boolean): T | undefined;
  fresh(id: string): Promise<T | undefined>;
  refresh(): Promise<void>;
  /** Stops the timer and the bus subscription. */
  close(): void;
}

export interface PgRowCacheOptions<Row, T> {
  pool: Pool;
  /** Every row; `one` is the same select for one id ($1). */
  all: Statement;
  one: Statement;
  idOf: (row: Row) => string;
  toValue: (row: Row) => T;
  bus?: EngineBus | undefined;
  /** Events after which the rows are read again. */
  changedBy: (event: PushEvent) => boolean;
  /** At least this often (ms); 1000 by default. */
  everyMs?: number | undefined;
  /** Told after each whole read: what else to keep in step (the inbox arrivals). */
  afterRefresh?: () => Promise<void>;
}

export function pgRowCache<Row, T>(options: PgRowCacheOptions<Row, T>): PgLookup<T> {
  let entries = new Map<string, T>();
  let failing = false;

  async function load(): Promise<void> {
    try {
      const rows = (await options.pool.query<Row & object>(options.all)).rows as Row[];
      entries = new Map(rows.map((row) => [options.idOf(row), options.toValue(row)]));
      await options.afterRefresh?.();
      failing = false;
    } catch (error) {
      // What was read last keeps answering; said once per outage, not every second.
      if (!failing) process.emitWarning(`Receiver lookups could not be read from PostgreSQL: ${(error as Error).message}`);
      failing = true;
      throw error;
    }
  }

  // One whole read at a time; a refresh asked for while one runs gets a read that starts after it.
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  function refresh(): Promise<void> {
    if (!running) {
      running = load().finally(() => (running = null));
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  }

  async function fresh(id: string): Promise<T | undefined> {
    const row = (await options.pool.query<Row & object>({ ...options.one, values: [id] })).rows[0] as Row | undefined;
    const value = row === undefined ? undefined : options.toValue(row);
    if (value === undefined) entries.delete(id);
    else entries.set(id, value);
    return value;
  }

  const quietly = (work: Promise<unknown>) => void work.catch(() => undefined);
  // Filled at once; a server awaits refresh() before it listens, so its first request is answered from it.
  quietly(refresh());
  const timer = setInterval(() => quietly(refresh()), options.everyMs ?? 1000);
  timer.unref();
  const unsubscribe = options.bus?.subscribe((event) => {
    if (options.changedBy(event)) quietly(refresh());
  });

  const lookup = ((id: string, again = false) => {
    if (again) quietly(fresh(id));
    return entries.get(id);
  }) as PgLookup<T>;
  lookup.fresh = fresh;
  lookup.refresh = refresh;
  lookup.close = () => {
    clearInterval(timer);
    unsubscribe?.();
  };
  return lookup;
}

/** A reload event that covers rows of this kind (a peer's event too large to relay, or missed ones). */
export const reloads = (event: PushEvent, of: Extract<PushEvent, { type: 'reload' }>['of']) => event.type === 'reload' && (event.of === of || event.of === 'all');
