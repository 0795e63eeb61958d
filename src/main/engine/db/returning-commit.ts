import type Database from 'better-sqlite3';

/**
 * Makes a failed commit of a write that returns rows (INSERT/UPDATE/DELETE … RETURNING) throw
 * when it is read with `get()` outside a transaction.
 *
 * Such a statement makes its changes on its first step, but on its own (autocommit) it commits
 * only when it finishes. `get()` takes the first row and resets the statement, and the commit
 * then runs inside the reset, whose result better-sqlite3 drops: when that commit fails (the
 * disk is full, the write-ahead log cannot grow) the change is rolled back while the caller
 * holds a row that looks stored, and the next insert reuses its id. `all()` steps the
 * statement to its end, so the commit runs there and its failure is thrown. Inside a
 * transaction the commit comes later, from COMMIT, which reports it; `get()` stays as it is.
 */
export function reportFailedCommits(sqlite: Database.Database, statement: Database.Statement): Database.Statement {
  if (!statement.reader || statement.readonly) return statement;
  const firstRow = statement.get.bind(statement);
  const everyRow = statement.all.bind(statement);
  statement.get = ((...params: unknown[]) => (sqlite.inTransaction ? firstRow(...params) : everyRow(...params)[0])) as Database.Statement['get'];
  return statement;
}
