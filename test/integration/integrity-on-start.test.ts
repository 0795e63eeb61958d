import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { judgeOpen } from '../../src/main/engine/storage/run-markers';
import { tempDataDir } from '../helpers/data-dir';
import { runCli, startServe } from '../helpers/serve-process';

const PAGE = 4096;

/** A data dir made by the CLI, holding enough deliveries to span a few thousand pages, closed cleanly. */
async function dataDirWithRows(): Promise<{ dir: string; file: string }> {
  const dir = tempDataDir();
  expect((await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '7', '--data-dir', dir])).code).toBe(0);
  const file = join(dir, 'hookbench.sqlite');
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
     VALUES ('hook_old', ?, 'import', '[]', ?, 2048, 'unchecked', 202, 'ignored')`,
  );
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(1_700_000_000_000 + i, Buffer.alloc(2048, i % 251));
  })();
  db.close();
  // A command that opens and closes it records the clean close.
  expect((await runCli(['package', 'list', '--data-dir', dir])).code).toBe(0);
  return { dir, file };
}

function garbageOverPages(file: string, firstPage: number, pages: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pages * PAGE, 0x5a), 0, pages * PAGE, firstPage * PAGE);
  closeSync(fd);
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function expectRefusedEverywhere(dir: string, file: string): Promise<string> {
  const before = digest(file);
  const cli = await runCli(['delivery', 'list', '--data-dir', dir]);
  expect(cli.code).toBe(1);
  expect(cli.stderr).toContain(`The database ${file} is damaged`);
  expect(cli.stderr).toContain('so Hookbench will not open it');
  const serve = await runCli(['serve', '--data-dir', dir, '--port', '0', '--receiver-port', '0', '--no-ui']);
  expect(serve.code).toBe(1);
  expect(serve.stderr).toContain(`The database ${file} is damaged`);
  // Never half-opened: not a byte written, no write-ahead log started.
  expect(digest(file)).toBe(before);
  expect(existsSync(`${file}-wal`)).toBe(false);
  expect(existsSync(`${file}-shm`)).toBe(false);
  return cli.stderr;
}

describe('a damaged database on start', () => {
  it('is refused when truncated, by the CLI and by serve, naming the file and that no backup is recorded', async () => {
    const { dir, file } = await dataDirWithRows();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const message = await expectRefusedEverywhere(dir, file);
    expect(message).toContain('No backup of this data dir is recorded');
  });

  it('is refused when pages were overwritten with garbage, naming the last good backup', async () => {
    const { dir, file } = await dataDirWithRows();
    const backup = join(tempDataDir(), 'good.sqlite');
    expect((await runCli(['backup', '--out', backup, '--data-dir', dir])).code).toBe(0);
    garbageOverPages(file, 1000, 20);
    const message = await expectRefusedEverywhere(dir, file);
    expect(message).toContain('checked because it changed while no Hookbench had it open');
    expect(message).toContain(`The last good backup is ${backup}`);
    expect(message).toContain(`hookbench restore ${backup} --data-dir NEW_DIR`);
  });

  it('is checked in full after a run that did not close cleanly', async () => {
    const { dir, file } = await dataDirWithRows();
    const serve = await startServe(dir, ['--no-ui']);
    onTestFinished(() => serve.stop('SIGKILL').then(() => undefined));
    await serve.stop('SIGKILL');
    garbageOverPages(file, 1500, 10);
    const run = await runCli(['delivery', 'list', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('checked because the previous run did not close it cleanly');
  });

  it("takes a marker left under this process's pid by an earlier process (a container's pid 1) for an unclean close", async () => {
    const { dir, file } = await dataDirWithRows();
    mkdirSync(join(dir, '.running'), { recursive: true });
    writeFileSync(join(dir, '.running', `${process.pid}-earlier-1`), '');
    expect(judgeOpen(dir, file).checkBecause).toBe('the previous run did not close it cleanly');
  });

  it('a whole database opens as before, and one from a newer build is still refused as such', async () => {
    const { dir, file } = await dataDirWithRows();
    expect((await runCli(['delivery', 'list', '--data-dir', dir])).code).toBe(0);
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations (idx, tag, hash, applied_at) VALUES (999, '0999_future', 'x', 0)").run();
    raw.close();
    const run = await runCli(['delivery', 'list', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('written by a newer Hookbench (schema 999');
    expect(run.stderr).not.toContain('damaged');
  });
});
