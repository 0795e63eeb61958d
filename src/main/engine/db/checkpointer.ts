import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the WAL is folded back into the database file. */
const CHECKPOINT_INTERVAL_MS = 250;
/**
 * The serving connection still checkpoints by itself past this many pages (40 MiB): a
 * backstop for when commits never leave the worker a moment to finish one.
 */
export const BACKSTOP_PAGES = 10_000;
const SQLITE_DEFAULT_PAGES = 1000;

/*
 * Runs in its own thread, with its own connection; kept to builtins and the SQLite
 * driver so it needs no build step of its own. PASSIVE never blocks the writer.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { createRequire } = process.getBuiltinModule('node:module');
const Database = createRequire(workerData.driver)(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the WAL from a worker thread. SQLite's automatic checkpoint runs inside
 * whichever commit crosses the threshold, copying megabytes and syncing the database
 * file on the thread that answers webhooks; here the copying happens beside it. While
 * this runs, the serving connection's own threshold is raised to a backstop.
 */
export function startCheckpointer(sqlite: Database.Database, onError: (message: string) => void = () => undefined) {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: sqlite.name, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.on('message', (message: { error?: string }) => message.error && onError(message.error));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let failed = false;
  worker.once('error', (error) => {
    // Without the worker, SQLite goes back to checkpointing on commit.
    failed = true;
    sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
    onError(error.message);
  });
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return {
    async stop(): Promise<void> {
      if (!failed) worker.postMessage('stop');
      await exited;
      if (!failed) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
    },
  };
}

export type Checkpointer = ReturnType<typeof startCheckpointer>;
