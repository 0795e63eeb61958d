import { closeSync, existsSync, fdatasync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { durableRename } from './durable-rename';
import { ApiError } from '../../../shared/contract';
import type { BackupResult } from '../../../shared/storage-types';
import { DATABASE_FILE } from '../db/open';
import { createPrivateFile } from '../db/private-files';
import { recordBackup } from './backup-log';
import { BACKUP_META_KEY, type BackupMeta } from './backup-meta';
import { keyRequirement } from './key-requirement';
import { runSqliteJob } from './sqlite-worker';

/*
 * A reader on its own connection: the backup API copies every page in one step, inside one
 * read transaction, so the copy is the database at one moment and writers (the receiver's
 * group commits) carry on meanwhile. Copying in small steps would restart whenever another
 * process commits, which a busy receiver does many times a second.
 * The copy is then made a single self-contained file (no WAL), checked, and labelled.
 */
const BACKUP_JOB = `
const source = new Database(workerData.source, { readonly: true, fileMustExist: true });
try {
  source.pragma('busy_timeout = 10000');
  await source.backup(workerData.target, { progress: () => 0x7fffffff });
} finally {
  source.close();
}
const copy = new Database(workerData.target);
try {
  copy.pragma('journal_mode = DELETE');
  const check = copy.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new Error('the copy failed its integrity check (' + check + '), so the database itself is damaged');
  copy.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(workerData.metaKey, workerData.meta);
  const deliveries = copy.prepare('SELECT count(*) AS n FROM deliveries').get().n;
  const schema = copy.prepare('SELECT idx, tag FROM schema_migrations ORDER BY idx DESC LIMIT 1').get();
  return { deliveries, schema };
} finally {
  copy.close();
}
`;

const TRICKLE_MS = 100;

export interface BackupRequest {
  dataDir: string;
  out: string;
  secretStore: string;
  version: string;
  now?: () => number;
}

function checkTarget(out: string): void {
  if (!isAbsolute(out)) throw new ApiError('invalid_params', `The backup file must be an absolute path; got "${out}".`);
  if (existsSync(out)) throw new ApiError('conflict', `${out} already exists; a backup never overwrites a file. Choose a new name (e.g. with the date in it) or remove it first.`);
  if (!existsSync(dirname(out))) throw new ApiError('invalid_params', `The directory ${dirname(out)} does not exist.`);
}

/** Takes a consistent copy of the data dir's database while it is in use, and records it in the data dir. */
export async function backupDataDir(request: BackupRequest): Promise<BackupResult> {
  const { dataDir, out } = request;
  checkTarget(out);
  const takenAt = (request.now ?? Date.now)();
  const key = keyRequirement(dataDir, request.secretStore);
  const meta: BackupMeta = { format: 1, takenAt, dataDir, hookbenchVersion: request.version, ...key };
  const partial = `${out}.partial-${process.pid}-${takenAt}`;
  createPrivateFile(partial);
  let job: { deliveries: number; schema: { idx: number; tag: string } };
  const trickle = trickleToDisk(partial);
  try {
    job = await runSqliteJob<typeof job>(BACKUP_JOB, { source: join(dataDir, DATABASE_FILE), target: partial, metaKey: BACKUP_META_KEY, meta: JSON.stringify(meta) }).finally(() => trickle.stop());
    durableRename(partial, out);
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    throw new ApiError('internal', `The backup to ${out} failed: ${(error as Error).message}. Nothing was written there.`);
  }
  const bytes = statSync(out).size;
  recordBackup(dataDir, { file: out, takenAt, bytes, deliveries: job.deliveries });
  return { file: out, bytes, takenAt, deliveries: job.deliveries, schema: { index: job.schema.idx, tag: job.schema.tag }, dataDir, ...key };
}

/**
 * Flushes the copy while it is being written. Left to the end, hundreds of megabytes reach
 * the disk in one sync, and the receiver's own log syncs queue behind it for most of a second;
 * a flush every 100 ms keeps each one small.
 */
function trickleToDisk(file: string): { stop(): Promise<void> } {
  const fd = openSync(file, 'r');
  let flushing: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    flushing = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).finally(() => {
      busy = false;
    });
  }, TRICKLE_MS);
  return {
    async stop() {
      clearInterval(timer);
      await flushing;
      closeSync(fd);
    },
  };
}

