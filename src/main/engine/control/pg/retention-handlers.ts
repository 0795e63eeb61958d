import { ApiError } from '../../../../shared/contract';
import type { StorageStatus } from '../../../../shared/storage-types';
import { pgRetentionPolicyStatements } from '../../retention/pg-policy-statements';
import { PG_VACUUM, pgPrune, pgPruneAndRecord } from '../../retention/pg-prune';
import { noSuchScope, policyChange, policyViewOf } from '../../retention/policy';
import { pgStorageStatements } from '../../store/pg-storage-statements';
import type { Handlers } from '../handlers';
import { databaseLocation } from './package-handlers';
import type { PgHandlerGroup } from './team-handlers';

type RetentionMethods = 'retention.show' | 'retention.set' | 'retention.prune' | 'storage.status' | 'storage.backup' | 'storage.restore';

/** A team server's database is the database server's to copy: consistent while instances keep writing, and restorable elsewhere. */
export const teamBackupAdvice = (location: string) =>
  `Back up a team server's database with PostgreSQL's own tools: pg_dump --format=custom --file hookbench.dump '${location}' (consistent while every instance keeps writing; restore with pg_restore into an empty database). ` +
  "Secrets in it stay sealed with the team's shared key (HOOKBENCH_SECRET_KEY or its key file): it is not in the dump: keep it safe as well.";

/**
 * Retention and storage status on a team server's PostgreSQL database.
 *
 * storage.status answers for a server: files.database is the database's address (without
 * credentials), databaseBytes its pg_database_size; walBytes is 0 (the server's WAL is shared by
 * every database on it and managed by PostgreSQL), volume and lastBackup are null (the data
 * directory and its backups are the database server's, not reachable from here), and disk is
 * null (the receiver never refuses for a full volume it cannot see).
 */
export const pgRetentionHandlers: PgHandlerGroup = (ctx): Pick<Handlers, RetentionMethods> => {
  const { pool, bus } = ctx;
  const policies = pgRetentionPolicyStatements(pool);
  const storage = pgStorageStatements(pool);
  const view = async () => policyViewOf(await policies.all(), await policies.names(), PG_VACUUM);
  return {
    'retention.show': view,
    'retention.set': async (params) => {
      const change = policyChange(params);
      if (change.override && !(await policies.exists(change.override, change.id))) throw noSuchScope(change.override, change.id);
      if (change.inherit) await policies.drop(change.override!, change.id);
      else {
        const current = (await policies.all()).find((p) => p.scope === change.scope && p.id === change.id)?.limits ?? {};
        await policies.put(change.scope, change.id, change.next(current), ctx.now());
      }
      ctx.pruneSoon?.();
      return view();
    },
    'retention.prune': ({ dryRun }) => (dryRun ? pgPrune(pool, true, { now: ctx.now() }) : pgPruneAndRecord(pool, (event) => bus.publish(event), { now: ctx.now() })),
    'storage.status': async (): Promise<StorageStatus> => {
      const [usage, databaseBytes, retention, nextPrune] = await Promise.all([storage.usage(), storage.databaseBytes(), view(), pgPrune(pool, true, { now: ctx.now() })]);
      const location = databaseLocation(pool);
      return { dataDir: location, files: { database: location, databaseBytes, walBytes: 0 }, ...usage, volume: null, lastBackup: null, retention, nextPrune, disk: null, teamDatabase: { location, backup: teamBackupAdvice(location) } };
    },
    'storage.backup': () => {
      throw new ApiError('unavailable', teamBackupAdvice(databaseLocation(pool)));
    },
    'storage.restore': () => {
      throw new ApiError('unavailable', "A team server's database is restored with pg_restore into an empty database, then every instance started on it; hookbench restore fills a desktop data dir.");
    },
  };
};
