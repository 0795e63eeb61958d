import { join, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract';
import { DATABASE_FILE } from '../db/open';
import { backupDataDir } from '../storage/backup';
import { restoreBackup } from '../storage/restore';
import { storageStatus } from '../storage/status';
import { sqliteStorageStatements } from '../store/storage-statements';
import { deleteDeliveries, deletionEvents } from '../store/delete-deliveries';
import type { Handlers, HandlerContext } from './handlers';
import { policyView } from '../retention/policy';
import { prune } from '../retention/prune';
import { vacuumState } from '../retention/vacuum';

export function createStorageHandlers(ctx: HandlerContext): Pick<Handlers, 'storage.status' | 'storage.backup' | 'storage.restore' | 'deliveries.delete'> {
  const statements = sqliteStorageStatements(join(ctx.dataDir, DATABASE_FILE));
  return {
    'storage.status': async () => {
      const [status, nextPrune] = await Promise.all([storageStatus(ctx.dataDir, statements), prune(ctx.db, true)]);
      const disk = ctx.disk?.state();
      return { ...status, retention: policyView(ctx.db, vacuumState(ctx.db.$client)), nextPrune, disk: disk?.refusing ? disk : null };
    },
    'storage.backup': ({ out }) => backupDataDir({ dataDir: ctx.dataDir, out, secretStore: ctx.box.kind, version: ctx.version }),
    'deliveries.delete': async (params) => {
      const result = await deleteDeliveries(ctx.db, params);
      for (const event of deletionEvents(result)) ctx.bus.publish(event);
      return result;
    },
    'storage.restore': ({ file, dataDir }) => {
      if (resolve(dataDir) === resolve(ctx.dataDir)) throw new ApiError('conflict', `${dataDir} is the data dir in use; restore into a new, empty one.`);
      return restoreBackup(file, dataDir);
    },
  };
}
