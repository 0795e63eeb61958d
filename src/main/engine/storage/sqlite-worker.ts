import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs a job on its own SQLite connection in a worker thread and resolves with what it posts.
 * Long reads (a backup, a full-table sum) then never stall the thread that answers webhooks,
 * and a reader holds no write lock: in WAL mode writers carry on beside it.
 *
 * The job's source is kept to builtins and the SQLite driver (as the checkpointer's is), so it
 * needs no build step of its own. It sees `Database` and `workerData`, and returns its result.
 */
export function runSqliteJob<T>(jobSource: string, workerData: Record<string, unknown>): Promise<T> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const source = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { createRequire } = process.getBuiltinModule('node:module');
const Database = createRequire(workerData.driver)(workerData.driver);
(async () => { ${jobSource} })().then(
  (result) => parentPort.postMessage({ result }),
  (error) => parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } }),
);
`;
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { ...workerData, driver } });
    let settled = false;
    worker.once('message', (message: { result?: T; error?: { message: string; code?: string } }) => {
      settled = true;
      if (message.error) reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else resolve(message.result as T);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The SQLite worker stopped (exit ${code}) before it answered.`));
    });
  });
}
