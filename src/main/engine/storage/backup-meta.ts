import type { KeyRequirement } from '../../../shared/storage-types';

/** The setting a backup file carries about itself (written into the copy, never into the live database). */
export const BACKUP_META_KEY = 'backup.meta';

export interface BackupMeta extends KeyRequirement {
  format: 1;
  takenAt: number;
  /** The data dir it was taken from: where its key file lives. */
  dataDir: string;
  hookbenchVersion: string;
}

export function parseBackupMeta(value: string | undefined): BackupMeta | null {
  if (!value) return null;
  try {
    const meta = JSON.parse(value) as BackupMeta;
    return meta && meta.format === 1 && typeof meta.takenAt === 'number' ? meta : null;
  } catch {
    return null;
  }
}
