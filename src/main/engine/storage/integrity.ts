import { existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { lastBackupAdvice } from './backup-log';
import { clearStale, judgeOpen, markOpen } from './run-markers';

export class DatabaseDamagedError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

const isDamage = (error: unknown) => {
  const code = String((error as { code?: unknown }).code ?? '');
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
};

function refusal(file: string, dataDir: string, detail: string): DatabaseDamagedError {
  return new DatabaseDamagedError(
    `The database ${file} is damaged (${detail}), so Hookbench will not open it: nothing is read from or written to it. ` +
      `${lastBackupAdvice(dataDir)} Keep the damaged file: SQLite's ".recover" may get rows back from it.`,
    file,
  );
}

/**
 * Runs before the database is opened for writing, on a read-only connection. Every start reads
 * the header and schema (a truncated file fails here: its header counts pages the file no longer
 * has). The full quick_check reads every page (about 2.6 s for 200,000 deliveries), so it runs
 * only when the previous run did not close cleanly, or when the file changed while closed.
 */
export function refuseDamagedDatabase(dataDir: string, file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  const { checkBecause, stale } = judgeOpen(dataDir, file);
  const companions = [`${file}-wal`, `${file}-shm`].filter((path) => !existsSync(path));
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (checkBecause) {
      const problems = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      const found = problems
        .flatMap((p) => p.quick_check.split('\n'))
        .map((line) => line.trim())
        .filter((line) => line && line !== 'ok' && !line.startsWith('***'));
      if (found.length) throw refusal(file, dataDir, `checked because ${checkBecause}: ${found.slice(0, 3).join('; ')}`);
    }
  } catch (error) {
    db?.close();
    db = null;
    // The reader's empty log and index files go too: a refused data dir is left as it was found.
    for (const path of companions) rmSync(path, { force: true });
    if (error instanceof DatabaseDamagedError) throw error;
    if (isDamage(error)) throw refusal(file, dataDir, (error as Error).message);
    throw error;
  } finally {
    db?.close();
  }
  clearStale(dataDir, stale);
}

/** Remembers that this connection is open, and records a clean close when it is closed. */
export function trackCleanClose(sqlite: Database.Database, dataDir: string): void {
  const closed = markOpen(dataDir, sqlite.name);
  const close = sqlite.close.bind(sqlite);
  sqlite.close = () => {
    const result = close();
    closed();
    return result;
  };
}
