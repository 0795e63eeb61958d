import { z } from 'zod';
import { method } from './contract-method';
import type { BackupResult, RestoreResult, StorageStatus } from './storage-types';

const path = z.string().min(1).max(4096);

/** The data dir's own upkeep; part of the engine API in contract.ts. */
export const storageMethods = {
  /** Sizes, counts, free space and the last backup of the data dir. */
  'storage.status': method<StorageStatus>()(z.object({})),
  /** A consistent copy of the database taken while it is in use; never overwrites a file. */
  'storage.backup': method<BackupResult>()(z.object({ out: path })),
  /** A backup copied into an empty data dir (not this one), checked first and migrated if older. */
  'storage.restore': method<RestoreResult>()(z.object({ file: path, dataDir: path })),
} as const;
