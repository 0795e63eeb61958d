import type Database from 'better-sqlite3';

/**
 * How long a connection waits for another's write lock (SQLite's busy timeout), and a way to
 * run one transaction without waiting at all.
 *
 * Switching the timeout around every transaction must be cheap: it happens on each commit of
 * the receiver. Compiling the pragma each time costs ~30 µs; a kept statement costs ~1.5 µs,
 * but SQLite applies this pragma while compiling it, so a kept statement only takes effect
 * from its second run on (each run recompiles it). The kept ones are run once when made.
 */
const configured = new WeakMap<Database.Database, number>();
const switches = new WeakMap<Database.Database, { noWait: Database.Statement; restore: Database.Statement }>();

export function setBusyTimeout(sqlite: Database.Database, ms: number): void {
  sqlite.pragma(`busy_timeout = ${ms}`);
  configured.set(sqlite, ms);
  switches.delete(sqlite);
}

function switchesFor(sqlite: Database.Database) {
  let s = switches.get(sqlite);
  if (!s) {
    const ms = configured.get(sqlite) ?? (sqlite.pragma('busy_timeout', { simple: true }) as number);
    s = { noWait: sqlite.prepare('PRAGMA busy_timeout = 0'), restore: sqlite.prepare(`PRAGMA busy_timeout = ${ms}`) };
    s.noWait.run();
    s.restore.run();
    sqlite.pragma(`busy_timeout = ${ms}`);
    switches.set(sqlite, s);
  }
  return s;
}

/** Runs `run` with the connection failing at once (SQLITE_BUSY) instead of waiting for the lock. */
export function withoutWaiting<T>(sqlite: Database.Database, run: () => T): T {
  const { noWait, restore } = switchesFor(sqlite);
  noWait.run();
  try {
    return run();
  } finally {
    restore.run();
  }
}
