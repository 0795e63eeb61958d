import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bundledMigrations, migrate } from '../../src/main/engine/db/migrate';
import type { BackupResult, PackageCreated, RestoreResult } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { startDeliveryLoad } from '../helpers/delivery-load';
import { runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 4242;

async function cli(args: string[], dir: string): Promise<string> {
  const run = await runCli([...args, '--data-dir', dir, '--json']);
  if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
  return run.stdout;
}

/** Rows from before this run, so the copy has pages to walk while the receiver commits. */
function preload(dir: string, count: number): void {
  const db = new Database(join(dir, 'hookbench.sqlite'));
  const insert = db.prepare(
    `INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
     VALUES ('hook_old', ?, 'import', '[]', ?, 2048, 'unchecked', 202, 'ignored')`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(1_700_000_000_000 + i, Buffer.alloc(2048, i % 251));
  })();
  db.close();
}

describe('backup while serving, then restore', () => {
  it('copies a running server consistently: the restore passes the integrity check and holds every delivery acknowledged before the backup began', async () => {
    const dir = tempDataDir();
    const pkg = JSON.parse(await cli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', String(REPO_ID)], dir)) as PackageCreated;
    preload(dir, 5000);
    const serve = await startServe(dir, ['--no-ui']);
    onTestFinished(() => serve.stop('SIGKILL').then(() => undefined));
    const load = startDeliveryLoad(serve.receiver + new URL(pkg.hookUrl).pathname, pkg.secret, REPO_ID, 60);
    await waitUntil(async () => load.answers.filter((a) => a.rowId !== null).length, (n) => n >= 30);

    const ackedBefore = load.answers.filter((a) => a.rowId !== null).map((a) => a.rowId!);
    const out = join(tempDataDir(), 'nightly.sqlite');
    const backup = JSON.parse(await cli(['backup', '--out', out], dir)) as BackupResult;
    // Deliveries keep arriving while and after the copy is taken.
    const countAtBackup = load.answers.length;
    await waitUntil(async () => load.answers.length, (n) => n >= countAtBackup + 20);
    const answers = await load.stop();
    expect(answers.filter((a) => a.status === null || a.status >= 300)).toEqual([]);

    expect(backup.file).toBe(out);
    expect(backup.deliveries).toBeGreaterThanOrEqual(5000 + ackedBefore.length);

    const restoredDir = join(tempDataDir(), 'restored');
    const restored = JSON.parse(await cli(['restore', out], restoredDir)) as RestoreResult;
    expect(restored.dataDir).toBe(restoredDir);

    const db = new Database(join(restoredDir, 'hookbench.sqlite'), { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = new Set((db.prepare("SELECT id FROM deliveries WHERE hook_id <> 'hook_old'").pluck().all() as number[]));
    expect(ackedBefore.filter((id) => !ids.has(id))).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM deliveries WHERE hook_id = 'hook_old'").pluck().get()).toBe(5000);
    // The backup's label stays out of the restored database.
    expect(db.prepare("SELECT count(*) FROM settings WHERE key = 'backup.meta'").pluck().get()).toBe(0);

    // With the key copied beside it, the restored data dir serves and verifies as the original did.
    copyFileSync(join(dir, 'secret.key'), join(restoredDir, 'secret.key'));
    const second = await startServe(restoredDir, ['--no-ui']);
    onTestFinished(() => second.stop().then(() => undefined));
    const again = startDeliveryLoad(second.receiver + new URL(pkg.hookUrl).pathname, pkg.secret, REPO_ID, 20);
    await waitUntil(async () => again.answers.length, (n) => n >= 5);
    expect((await again.stop()).filter((a) => a.status !== 202)).toEqual([]);
  });
});

describe('restore refuses', () => {
  async function backupOf(dir: string): Promise<string> {
    await cli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '7'], dir);
    const out = join(tempDataDir(), 'b.sqlite');
    await cli(['backup', '--out', out], dir);
    return out;
  }

  it('a data dir that is not empty, changing nothing in it', async () => {
    const backup = await backupOf(tempDataDir());
    const target = tempDataDir();
    writeFileSync(join(target, 'notes.txt'), 'mine');
    const run = await runCli(['restore', backup, '--data-dir', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${target} is not empty (it holds notes.txt)`);
    expect(existsSync(join(target, 'hookbench.sqlite'))).toBe(false);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a backup written by a newer Hookbench', async () => {
    const backup = await backupOf(tempDataDir());
    const raw = new Database(backup);
    raw.prepare("INSERT INTO schema_migrations (idx, tag, hash, applied_at) VALUES (999, '0999_future', 'x', 0)").run();
    raw.close();
    const target = join(tempDataDir(), 'new');
    const run = await runCli(['restore', backup, '--data-dir', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/written by a newer Hookbench \(schema 999 "0999_future"; this build knows schemas up to \d+\)/);
    expect(existsSync(join(target, 'hookbench.sqlite'))).toBe(false);
  });

  it('a damaged backup, before copying anything', async () => {
    const backup = await backupOf(tempDataDir());
    const bytes = readFileSync(backup);
    // Garbage over the pages after the schema: the header still reads, the b-trees do not.
    bytes.fill(0x5a, 4096 * 3, Math.min(bytes.length, 4096 * 12));
    writeFileSync(backup, bytes);
    const target = join(tempDataDir(), 'new');
    const run = await runCli(['restore', backup, '--data-dir', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The backup ${backup} is damaged and was not restored`);
    expect(existsSync(join(target, 'hookbench.sqlite'))).toBe(false);
  });

  it('a key file beside it that is not the one the secrets were sealed with', async () => {
    const backup = await backupOf(tempDataDir());
    const target = tempDataDir();
    writeFileSync(join(target, 'secret.key'), Buffer.alloc(32, 1), { mode: 0o600 });
    const run = await runCli(['restore', backup, '--data-dir', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/secret\.key is not the key this backup's secrets were sealed with \(it has fingerprint sha256:[0-9a-f]{16}; they need sha256:[0-9a-f]{16}\)/);
    expect(existsSync(join(target, 'hookbench.sqlite'))).toBe(false);
  });
});

describe('the key a backup needs', () => {
  it('is named by fingerprint, never copied: the restore says where to copy secret.key from, and accepts the right one put there first', async () => {
    const source = tempDataDir();
    await cli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '7'], source);
    const key = readFileSync(join(source, 'secret.key'));
    const fingerprint = (await import('node:crypto')).createHash('sha256').update(key).digest('hex');
    const out = join(tempDataDir(), 'b.sqlite');
    const human = await runCli(['backup', '--out', out, '--data-dir', source]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`keep secret.key from ${source} (fingerprint sha256:${fingerprint.slice(0, 16)}) with this backup`);
    expect(readFileSync(out).includes(key)).toBe(false);

    const bare = join(tempDataDir(), 'bare');
    const restored = await runCli(['restore', out, '--data-dir', bare]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Copy secret.key from ${source} (fingerprint sha256:${fingerprint.slice(0, 16)}) beside it, to ${join(bare, 'secret.key')}`);

    const keyed = tempDataDir();
    copyFileSync(join(source, 'secret.key'), join(keyed, 'secret.key'));
    const withKey = JSON.parse(await cli(['restore', out], keyed)) as RestoreResult;
    expect(withKey).toMatchObject({ key: 'present', keyFile: { name: 'secret.key', sha256: fingerprint }, advice: [] });
    expect((await runCli(['package', 'list', '--data-dir', keyed])).stdout).toContain('octo/widgets');
  });

  it('restores an older schema and migrates it to this build', async () => {
    const dir = tempDataDir();
    const older = new Database(join(dir, 'old.sqlite'));
    migrate(older, bundledMigrations.slice(0, -1));
    older.close();
    const target = join(tempDataDir(), 'new');
    mkdirSync(target);
    const restored = JSON.parse(await cli(['restore', join(dir, 'old.sqlite')], target)) as RestoreResult;
    expect(restored.schemaBefore).toBe(bundledMigrations.at(-2)!.index);
    expect(restored.schemaAfter).toBe(bundledMigrations.at(-1)!.index);
    expect(restored.advice[0]).toContain('does not record which key');
  });
});

describe('the storage methods of the engine API', () => {
  it('back up and restore through the contract the UI calls, refusing to restore over the data dir in use', async () => {
    const { createEngine } = await import('../../src/main/engine');
    const engine = createEngine({ dataDir: tempDataDir() });
    onTestFinished(() => engine.close());
    const out = join(tempDataDir(), 'api.sqlite');
    const backup = (await engine.invoke('storage.backup', { out })) as BackupResult;
    expect(backup).toMatchObject({ file: out, dataDir: engine.dataDir, secretStore: 'key-file' });
    await expect(engine.invoke('storage.backup', { out })).rejects.toThrow(`${out} already exists`);
    await expect(engine.invoke('storage.backup', { out: 'relative.sqlite' })).rejects.toThrow('must be an absolute path');
    await expect(engine.invoke('storage.restore', { file: out, dataDir: engine.dataDir })).rejects.toThrow('is the data dir in use');
    const target = join(tempDataDir(), 'restored');
    const restored = (await engine.invoke('storage.restore', { file: out, dataDir: target })) as RestoreResult;
    expect(restored).toMatchObject({ dataDir: target, key: 'not-needed' });
  });
});
