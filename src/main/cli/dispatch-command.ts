import { once } from 'node:events';
import { openDatabase } from '../engine/db/open';
import { isPostgresUrl, openPostgres } from '../engine/db/pg/open';
import type { DispatchQueue } from '../engine/outbound/dispatch-queue';
import { createDispatcher } from '../engine/outbound/dispatcher';
import { pgDispatchQueue } from '../engine/outbound/pg-dispatch-queue';
import { sqliteDispatchQueue } from '../engine/outbound/sqlite-dispatch-queue';
import { withOpenedCache } from '../engine/secrets/caching-box';
import { createKeyFileBox } from '../engine/secrets/key-file-box';
import type { Output } from './output';
import { UsageError } from './usage';

/** A team server's database named by `--database`, else HOOKBENCH_DATABASE_URL; null when neither names one. */
export function databaseUrl(database: string | undefined): string | null {
  const url = database ?? process.env.HOOKBENCH_DATABASE_URL?.trim();
  if (!url) return null;
  if (!isPostgresUrl(url)) throw new UsageError(`--database takes a postgres:// URL, not "${url}"; for a data dir use --data-dir.`);
  return url;
}

/** Where `dispatch` sends from: a data dir, or a team server's database (`--database`, else HOOKBENCH_DATABASE_URL). */
export function dispatchStore(dataDir: string, database: string | undefined): { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string } {
  const url = databaseUrl(database);
  return url ? { kind: 'postgres', url } : { kind: 'sqlite', dataDir };
}

/** Commands that run on a team server's database as well as on a data dir. */
export const ON_DATABASE = new Set(['serve', 'dispatch', 'token', 'audit', 'secrets']);

/**
 * Only `serve`, `dispatch`, `token`, `audit` and `secrets rotate-key` run on a team server's database so far. Any other
 * command given one would quietly work on the local data dir instead, which a team must not
 * mistake for the server's history: it is refused, saying what to use.
 */
export function refuseDatabaseElsewhere(command: string | undefined, database: string | undefined): void {
  if (command !== undefined && ON_DATABASE.has(command)) return;
  if (database === undefined) return;
  throw new UsageError(
    `${command ?? 'this command'} does not run on a PostgreSQL database yet (--database was given): ` +
      'only "hookbench serve --database URL", "dispatch --database URL", "token … --database URL", "audit --database URL" and "secrets rotate-key --database URL" do, and "hookbench migrate --from DIR --to URL" fills one. ' +
      'Use --data-dir for a local data dir, or --server URL for a running server.',
  );
}

/**
 * `hookbench dispatch`: sends due outbound messages and nothing else, beside any number of
 * other dispatchers (and serves) on the same store, until SIGTERM or Ctrl+C; then it lets
 * the sends in flight finish and records them. Claims of a dispatcher that died are taken
 * back by the others once their lease runs out.
 */
export async function dispatchCommand(store: ReturnType<typeof dispatchStore>, out: Output): Promise<void> {
  const box = withOpenedCache(createKeyFileBox(store.kind === 'sqlite' ? store.dataDir : process.cwd()));
  let queue: DispatchQueue;
  let close: () => Promise<void>;
  if (store.kind === 'postgres') {
    const db = await openPostgres(store.url);
    queue = pgDispatchQueue(db.$client, box, { now: Date.now });
    close = () => db.$client.end();
  } else {
    const db = openDatabase(store.dataDir);
    queue = sqliteDispatchQueue(db, box, { now: Date.now });
    close = async () => void db.$client.close();
  }
  const dispatcher = createDispatcher({ queue, box, publish: () => undefined });
  try {
    await dispatcher.start({ recover: 'expired' });
    out.data({ dispatching: store.kind, pid: process.pid }, () => `Dispatching from ${store.kind === 'postgres' ? 'the database' : store.dataDir} (pid ${process.pid}); Ctrl+C stops.`);
    // The dispatcher's own timers do not hold the process open: with nothing due it would exit.
    const alive = setInterval(() => undefined, 2 ** 30);
    await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]).finally(() => clearInterval(alive));
  } finally {
    await dispatcher.stop();
    await close();
  }
}
