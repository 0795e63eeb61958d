import { chmodSync, constants, copyFileSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { durableRename } from './durable-rename';
import Database from 'better-sqlite3';
import { ApiError } from '../../../shared/contract';
import type { RestoreResult } from '../../../shared/storage-types';
import { bundledMigrations, checkAppliedMigrations, SchemaMismatchError, type AppliedMigration } from '../db/migrate';
import { DATABASE_FILE, openDatabase } from '../db/open';
import { preparePrivateDir } from '../db/private-files';
import { KEY_FILE } from '../secrets/key-file-box';
import { deleteSetting, setSetting } from '../store/settings';
import { recordBackup } from './backup-log';
import { BACKUP_META_KEY, parseBackupMeta, type BackupMeta } from './backup-meta';
import { keyFileFingerprint, shortFingerprint } from './key-requirement';

/** An empty data dir, or one where only the key file was put first: nothing a restore could overwrite. */
function checkEmpty(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const present = readdirSync(dataDir).filter((name) => name !== KEY_FILE);
  if (present.length === 0) return;
  const shown = present.slice(0, 5).join(', ') + (present.length > 5 ? `, … (${present.length} entries)` : '');
  throw new ApiError(
    'conflict',
    `${dataDir} is not empty (it holds ${shown}); a restore goes only into an empty data dir, so nothing there is overwritten. ` +
      'Choose a new directory with --data-dir (it may hold secret.key and nothing else).',
  );
}

interface Inspected {
  meta: BackupMeta | null;
  schema: number;
}

/** Reads the backup without changing it: a SQLite file, whole, with a schema this build understands. */
function inspectBackup(file: string): Inspected {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ApiError('not_found', `Cannot open the backup ${file}: ${(error as Error).message}.`);
  }
  try {
    const problems = db.pragma('integrity_check(20)', { simple: false }) as { integrity_check: string }[];
    if (problems.length !== 1 || problems[0]!.integrity_check !== 'ok') {
      const listed = problems.map((p) => p.integrity_check).slice(0, 5).join('; ');
      throw new ApiError('invalid_params', `The backup ${file} is damaged and was not restored: its integrity check found ${listed}.`);
    }
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    if (!tables.has('schema_migrations') || !tables.has('deliveries') || !tables.has('settings')) {
      throw new ApiError('invalid_params', `${file} is a SQLite database, but not a Hookbench one (it has no deliveries or schema table); nothing was restored.`);
    }
    const applied = db.prepare('SELECT idx, tag, hash FROM schema_migrations ORDER BY idx').all() as AppliedMigration[];
    const schema = applied.at(-1)?.idx ?? -1;
    const newest = bundledMigrations.at(-1)?.index ?? -1;
    if (schema > newest) {
      throw new ApiError(
        'conflict',
        `The backup ${file} was written by a newer Hookbench (schema ${schema} "${applied.at(-1)!.tag}"; this build knows schemas up to ${newest}). ` +
          'Restore it with that version of Hookbench or a newer one; nothing was restored.',
      );
    }
    try {
      checkAppliedMigrations(applied);
    } catch (error) {
      if (error instanceof SchemaMismatchError) throw new ApiError('conflict', `The backup ${file} cannot be restored by this build: ${error.message}`);
      throw error;
    }
    const meta = db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_META_KEY) as { value: string } | undefined;
    return { meta: parseBackupMeta(meta?.value), schema };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
      throw new ApiError('invalid_params', `The backup ${file} is damaged and was not restored: ${(error as Error).message}.`);
    }
    throw new ApiError('invalid_params', `The backup ${file} cannot be read as a Hookbench database (${(error as Error).message}); nothing was restored.`);
  } finally {
    db.close();
  }
}

type KeyState = Pick<RestoreResult, 'key' | 'advice'>;

/** Whether the key the backup's secrets need is (or must be put) beside the restored database. */
function keyState(meta: BackupMeta | null, dataDir: string): KeyState {
  const keyPath = join(dataDir, KEY_FILE);
  if (!meta) {
    return {
      key: existsSync(keyPath) ? 'present' : 'missing',
      advice: [`This file does not record which key its secrets need. If they were sealed with a key file, copy that ${KEY_FILE} to ${keyPath}.`],
    };
  }
  if (meta.secretStore !== 'key-file') {
    return { key: 'os-keychain', advice: ["Its secrets were sealed by the desktop app's OS keychain on the machine that took it; they open there only (elsewhere, run \"hookbench secrets reset\")."] };
  }
  if (!meta.keyFile) return { key: 'not-needed', advice: [] };
  const wanted = meta.keyFile.sha256;
  const found = keyFileFingerprint(keyPath);
  if (found === wanted) return { key: 'present', advice: [] };
  if (found) {
    throw new ApiError(
      'conflict',
      `${keyPath} is not the key this backup's secrets were sealed with (it has fingerprint ${shortFingerprint(found)}; they need ${shortFingerprint(wanted)}). ` +
        `Put the ${KEY_FILE} from ${meta.dataDir} there, or remove it and copy the right one after the restore; nothing was restored.`,
    );
  }
  return {
    key: 'missing',
    advice: [
      `Copy ${KEY_FILE} from ${meta.dataDir} (fingerprint ${shortFingerprint(wanted)}) beside it, to ${keyPath}, before starting Hookbench: ` +
        'without it no hook or endpoint secret opens (or run "hookbench secrets reset" to make new ones).',
    ],
  };
}

/** Copies a backup into an empty data dir, then opens it once so an older schema is migrated now. */
export function restoreBackup(fileArg: string, dataDirArg: string): RestoreResult {
  const file = resolve(fileArg);
  const dataDir = resolve(dataDirArg);
  checkEmpty(dataDir);
  const { meta, schema } = inspectBackup(file);
  const key = keyState(meta, dataDir);
  preparePrivateDir(dataDir);
  const target = join(dataDir, DATABASE_FILE);
  const partial = `${target}.restoring`;
  try {
    copyFileSync(file, partial, constants.COPYFILE_EXCL);
    chmodSync(partial, 0o600);
    durableRename(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new ApiError('internal', `Copying ${file} into ${dataDir} failed: ${(error as Error).message}.`);
  }
  const db = openDatabase(dataDir);
  let schemaAfter: number;
  let deliveries: number;
  try {
    deleteSetting(db, BACKUP_META_KEY);
    setSetting(db, 'storage.restoredFrom', JSON.stringify({ file, takenAt: meta?.takenAt ?? null, restoredAt: Date.now() }));
    schemaAfter = (db.$client.prepare('SELECT max(idx) AS idx FROM schema_migrations').get() as { idx: number }).idx;
    deliveries = (db.$client.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
  } finally {
    db.$client.close();
  }
  // The file just restored is this data dir's last good copy until the next backup.
  if (meta) recordBackup(dataDir, { file, takenAt: meta.takenAt, bytes: statSync(file).size, deliveries });
  return {
    dataDir,
    file,
    takenAt: meta?.takenAt ?? null,
    schemaBefore: schema,
    schemaAfter,
    secretStore: meta?.secretStore ?? 'unknown',
    keyFile: meta?.keyFile ?? null,
    ...key,
  };
}
