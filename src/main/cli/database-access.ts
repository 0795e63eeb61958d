import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { createAccess } from '../engine/access/access';
import { pgAccessStore } from '../engine/access/pg-statements';
import { EngineBus } from '../engine/bus';
import { createInvoker } from '../engine/control/handlers';
import { pgAccessHandlers } from '../engine/control/pg/access-handlers';
import type { PgHandlerContext } from '../engine/control/pg/pg-handler-context';
import { pgSecretsHandlers } from '../engine/control/pg/secrets-handlers';
import { createTeamHandlers } from '../engine/control/pg/team-handlers';
import { openTeamDatabase } from '../engine/db/pg/open';
import { keySource } from '../engine/secrets/key-source';
import { rotateTeamKey } from '../engine/secrets/pg-rotate-key';
import { RotationRefused } from '../engine/secrets/rotate-key';
import { VERSION } from '../engine/version';
import type { Command, CommandContext, CommandEngine } from './context';
import { databaseUrl, refuseDatabaseElsewhere } from './dispatch-command';
import { NO_SECRETS, sharedKeyBox } from './shared-key';
import { UsageError } from './usage';

/** Commands that run on a team server's database without a server: the access methods, and the key's rotation and reset. */
const ACCESS_COMMANDS = new Set(['token', 'audit', 'secrets']);

/**
 * The team server's database a token or audit command works on: --database, else
 * HOOKBENCH_DATABASE_URL unless --server names a running server instead. null: a data dir, a
 * server, or another command (refused when given a database it does not run on).
 */
export function accessDatabase(command: string | undefined, database: string | undefined, server: string | undefined): string | null {
  refuseDatabaseElsewhere(command, database);
  if (command === undefined || !ACCESS_COMMANDS.has(command)) return null;
  if (database !== undefined && server !== undefined) throw new UsageError('--database and --server name two different places to work on; give one.');
  return server !== undefined ? null : databaseUrl(database);
}

const onlyAccess = () => Promise.reject(new UsageError("Only token, audit and secrets commands run on a team server's database from here; run the others with --server URL."));

/** On a team server's database, the only engine work a command does here is rotating the shared key. */
export function databaseEngine(url: string): CommandEngine {
  return {
    sendNow: onlyAccess,
    sendAll: onlyAccess,
    importFile: onlyAccess,
    prepareVacuum: () => null,
    async rotateKey(progress) {
      const db = await openTeamDatabase(url, { poolSize: 2 });
      try {
        return await rotateTeamKey(db.$client, keySource(''), progress);
      } catch (error) {
        throw error instanceof RotationRefused ? new UsageError(error.message) : error;
      } finally {
        await db.$client.end();
      }
    },
  };
}

/**
 * Runs a token, audit or secrets command on a team server's database, through the same methods (and the
 * same role check and audit log) the server answers them with, as the local user: its changes
 * are written to the audit log as "local", as on a data dir. The log is written out before the
 * pool closes.
 */
export async function onAccessDatabase(url: string, picked: { command: Command; rest: string[] }, base: Omit<CommandContext, 'positionals' | 'call'>, usesKey: boolean): Promise<number> {
  // Asked for before the database is opened: without the key there is nothing to judge or seal with.
  const box = usesKey ? sharedKeyBox() : NO_SECRETS;
  const db = await openTeamDatabase(url, { poolSize: 2 });
  const pool = db.$client;
  const access = createAccess(pgAccessStore(pool));
  const ctx: PgHandlerContext = { pool, box, bus: new EngineBus(), version: VERSION, receiverUrl: () => null, kickDispatcher: () => undefined, now: Date.now, access };
  const invoke = createInvoker(createTeamHandlers(ctx, [pgAccessHandlers, pgSecretsHandlers]), access);
  const call = <M extends MethodName>(method: M, params: ParamsOf<M>) => invoke(method, params) as Promise<ResultOf<M>>;
  try {
    await picked.command({ ...base, positionals: picked.rest, call });
    return process.exitCode === 1 ? 1 : 0;
  } finally {
    await access.close();
    await pool.end();
  }
}
