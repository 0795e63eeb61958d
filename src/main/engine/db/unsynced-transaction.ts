import type Database from 'better-sqlite3';
import { withoutWaiting } from './busy-timeout';
import type { Db } from './open';

interface Prepared {
  normal: Database.Statement;
  full: Database.Statement;
  /** better-sqlite3's BEGIN IMMEDIATE wrapper, built once: these run for every batch of deliveries and attempts. */
  immediate: (run: () => unknown) => unknown;
}

/** Compiled once per connection: the two pragmas and the wrapper run around every such transaction. */
const prepared = new WeakMap<Database.Database, Prepared>();

function preparedFor(sqlite: Database.Database): Prepared {
  let p = prepared.get(sqlite);
  if (!p) {
    p = {
      normal: sqlite.prepare('PRAGMA synchronous = NORMAL'),
      full: sqlite.prepare('PRAGMA synchronous = FULL'),
      immediate: sqlite.transaction((run: () => unknown) => run()).immediate,
    };
    prepared.set(sqlite, p);
  }
  return p;
}

/**
 * A transaction that commits without waiting for the disk (synchronous=NORMAL for its
 * commit only; the connection stays FULL for everything else). Two kinds of writes use it:
 * - results that can be rebuilt from what is already durable: ingest (from the stored
 *   delivery, which stays pending until then), attempt records (the message is sent
 *   again, with the same id) and the sealing of older stored credentials (done again from
 *   where it stood). A process crash loses none of it; a power cut can only send it back
 *   to be redone.
 * - the receiver's deliveries, which are acknowledged only after a WAL flush that started
 *   once the commit returned (see wal-sync.ts).
 *
 * It never waits for the write lock: when another process holds it, it throws at once
 * (see isBusy in write-lock.ts) and the caller tries again on a timer, so the thread that
 * answers webhooks never sleeps inside SQLite's busy handler.
 */
export function unsyncedTransaction<T>(db: Db, run: () => T): T {
  const sqlite = db.$client;
  const { normal, full, immediate } = preparedFor(sqlite);
  normal.run();
  try {
    // On the bare connection: the query builder's transaction object (a fresh set of builders
    // per call) cost more than the pragmas and the BEGIN together. Queries inside still go
    // through \`db\`, on the same connection, so they are part of it.
    return withoutWaiting(sqlite, () => immediate(run) as T);
  } finally {
    full.run();
  }
}
