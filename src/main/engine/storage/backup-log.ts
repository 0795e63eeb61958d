import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupRecord } from '../../../shared/storage-types';

/**
 * Backups taken of a data dir, newest last. A file beside the database rather than a row in
 * it: when the database is damaged, this is what still says where the last good copy is.
 */
export const BACKUP_LOG_FILE = 'backups.json';
const KEPT = 50;

const logPath = (dataDir: string) => join(dataDir, BACKUP_LOG_FILE);

export function listBackups(dataDir: string): BackupRecord[] {
  try {
    const parsed = JSON.parse(readFileSync(logPath(dataDir), 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as BackupRecord[]).filter((b) => typeof b?.file === 'string' && typeof b.takenAt === 'number') : [];
  } catch {
    // Missing or unreadable: no backup is known, which the messages then say.
    return [];
  }
}

export const lastBackup = (dataDir: string): BackupRecord | null => listBackups(dataDir).at(-1) ?? null;

export function recordBackup(dataDir: string, record: BackupRecord): void {
  const kept = [...listBackups(dataDir).filter((b) => b.file !== record.file), record].slice(-KEPT);
  const temp = `${logPath(dataDir)}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(kept, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, logPath(dataDir));
}

/** The sentence every refusal of a damaged database ends with: the newest backup that is still there. */
export function lastBackupAdvice(dataDir: string): string {
  const recorded = listBackups(dataDir);
  const last = recorded.filter((b) => existsSync(b.file)).at(-1);
  if (!last && recorded.length) {
    return `The backups recorded for it (the newest ${recorded.at(-1)!.file}) are no longer where they were written; if you moved one, restore it with "hookbench restore FILE --data-dir NEW_DIR".`;
  }
  if (!last) return 'No backup of this data dir is recorded; if you keep one elsewhere, restore it with "hookbench restore FILE --data-dir NEW_DIR".';
  return `The last good backup is ${last.file} (taken ${new Date(last.takenAt).toISOString()}); restore it with "hookbench restore ${last.file} --data-dir NEW_DIR".`;
}
