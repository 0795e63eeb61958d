import type Database from 'better-sqlite3';
import type { Db } from './open';

/** The two pragmas, compiled once per connection: they run around every such transaction. */
const switches = new WeakMap<Database.Database, { normal: Database.Statement; full: Database.Statement }>();

function syncSwitches(sqlite: Database.Database) {
  let s = switches.get(sqlite);
  if (!s) switches.set(sqlite, (s = { normal: sqlite.prepare('PRAGMA synchronous = NORMAL'), full: sqlite.prepare('PRAGMA synchronous = FULL') }));
  return s;
}

/**
 * A transaction that commits without waiting for the disk (synchronous=NORMAL for its
 * commit only; the connection stays FULL for everything else). Two kinds of writes use it:
 * - results that can be rebuilt from what is already durable: ingest (from the stored
 *   delivery, which stays pending until then) and attempt records (the message is sent
 *   again, with the same id). A process crash loses none of it; a power cut can only send
 *   it back to be redone.
 * - the receiver's deliveries, which are acknowledged only after a WAL flush that started
 *   once the commit returned (see wal-sync.ts).
 */
export function unsyncedTransaction<T>(db: Db, run: () => T): T {
  const { normal, full } = syncSwitches(db.$client);
  normal.run();
  try {
    return db.transaction(run, { behavior: 'immediate' });
  } finally {
    full.run();
  }
}
