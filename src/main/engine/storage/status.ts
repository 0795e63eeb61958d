import { statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StorageStatus } from '../../../shared/storage-types';
import { DATABASE_FILE } from '../db/open';
import type { StorageStatements } from '../store/storage-statements';
import { lastBackup } from './backup-log';

/** Below either, the volume is called nearly full. */
export const LOW_FREE_BYTES = 1024 ** 3;
export const LOW_FREE_FRACTION = 0.05;

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export function volumeOf(dataDir: string, lowBytes = LOW_FREE_BYTES, lowFraction = LOW_FREE_FRACTION): StorageStatus['volume'] {
  let stats;
  try {
    stats = statfsSync(dataDir);
  } catch {
    return null;
  }
  const freeBytes = stats.bavail * stats.bsize;
  const totalBytes = stats.blocks * stats.bsize;
  const low = freeBytes < lowBytes || (totalBytes > 0 && freeBytes / totalBytes < lowFraction);
  const warning = low
    ? `Only ${gib(freeBytes)} free of ${gib(totalBytes)} on the volume holding ${dataDir}: when it fills, deliveries can no longer be stored. Free space, or move the data dir (hookbench backup, then restore elsewhere).`
    : null;
  return { freeBytes, totalBytes, warning };
}

export async function storageStatus(dataDir: string, statements: StorageStatements): Promise<StorageStatus> {
  const database = join(dataDir, DATABASE_FILE);
  const usage = await statements.usage();
  return {
    dataDir,
    files: { database, databaseBytes: sizeOf(database), walBytes: sizeOf(`${database}-wal`) },
    ...usage,
    volume: volumeOf(dataDir),
    lastBackup: lastBackup(dataDir),
  };
}
