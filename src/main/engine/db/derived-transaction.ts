import type { Db } from './open';

/**
 * A transaction whose result can be rebuilt from what is already durable: ingest
 * (from the stored delivery, which stays pending until then) and attempt records (the
 * message is sent again, with the same id). These commit without their own fsync; the
 * next acknowledging commit (synchronous=FULL) makes them durable too. A process crash
 * loses none of it either way; a power cut can only send it back to be redone.
 */
export function derivedTransaction<T>(db: Db, run: () => T): T {
  const sqlite = db.$client;
  sqlite.pragma('synchronous = NORMAL');
  try {
    return db.transaction(run, { behavior: 'immediate' });
  } finally {
    sqlite.pragma('synchronous = FULL');
  }
}
