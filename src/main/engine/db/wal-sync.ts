import { closeSync, fdatasync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

type Done = (error: Error | null) => void;

/**
 * Flushes the WAL file to disk off the event loop.
 *
 * A commit under synchronous=NORMAL writes its WAL frames without waiting for the
 * disk; an fdatasync of the WAL file that starts after the commit returned makes those
 * frames durable, which is what synchronous=FULL does inside the commit. Doing it here
 * lets the thread keep reading and verifying requests while the disk works, and one
 * flush covers every commit made before it started.
 *
 * The WAL file keeps its inode while this connection is open (SQLite removes it only
 * when the last connection closes, and a checkpoint restarts it in place), so one file
 * descriptor serves for the connection's life.
 *
 * After a failed flush nothing more is acknowledged: the kernel may have dropped the
 * pages that failed, and a later flush reporting success would not bring them back.
 */
export function createWalSync(sqlite: Database.Database) {
  let fd: number | null = null;
  let flushing = false;
  let failed: Error | null = null;
  let waiting: Done[] = [];
  const idle: (() => void)[] = [];

  const settle = (batch: Done[], error: Error | null) => {
    for (const done of batch) {
      try {
        done(error);
      } catch (thrown) {
        // One caller's mistake must not leave the others unanswered.
        queueMicrotask(() => {
          throw thrown;
        });
      }
    }
  };

  function start(): void {
    const batch = waiting;
    waiting = [];
    if (failed) return settle(batch, failed);
    flushing = true;
    const finish = (error: Error | null) => {
      flushing = false;
      if (error) {
        failed = new Error(`The database's write-ahead log could not be flushed to disk (${error.message}); nothing more is acknowledged until Hookbench restarts.`);
        process.emitWarning(failed.message);
      }
      settle(batch, failed);
      if (waiting.length > 0) start();
      else for (const resolve of idle.splice(0)) resolve();
    };
    try {
      fd ??= openSync(`${sqlite.name}-wal`, 'r+');
    } catch (error) {
      return finish(error as Error);
    }
    fdatasync(fd, finish);
  }

  return {
    /** Calls back once everything committed before this call is on disk, or with why it is not. */
    afterCommit(done: Done): void {
      waiting.push(done);
      if (!flushing) start();
    },
    /** Waits for outstanding flushes, then lets go of the file. */
    async close(): Promise<void> {
      if (flushing) await new Promise<void>((resolve) => idle.push(resolve));
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

export type WalSync = ReturnType<typeof createWalSync>;
