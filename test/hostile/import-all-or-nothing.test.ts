/**
 * A bundle import is all or nothing, whatever stops it: Ctrl+C takes back what it wrote
 * before the process exits, kill -9 leaves it to the next import (or start of serve), and
 * importing the same file again adds nothing. Real CLI processes on a real SQLite file.
 * Needs `npm run build` (out/main/cli.js).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bundleDelivery, writeBundle } from '../helpers/bundle-file';
import { tempDataDir } from '../helpers/data-dir';
import { HOOKBENCH_BIN, runCli } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const RECORDS = 6000;

async function setup() {
  const dir = tempDataDir();
  expect((await runCli(['package', 'list', '--data-dir', dir])).code).toBe(0);
  const bundle = join(dir, 'deliveries.bundle');
  writeBundle(
    bundle,
    Array.from({ length: RECORDS }, (_, i) => bundleDelivery(i)),
  );
  const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
  onTestFinished(() => {
    db.close();
  });
  const count = (where: string) => db.prepare(`SELECT count(*) FROM deliveries WHERE ${where}`).pluck().get() as number;
  return {
    dir,
    bundle,
    imported: () => Promise.resolve(count("source = 'import'")),
    distinctImported: () => db.prepare("SELECT count(DISTINCT provider_delivery_id) FROM deliveries WHERE source = 'import'").pluck().get() as number,
    runningImports: () => db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'import.running:%'").pluck().get() as number,
  };
}

/** Starts an import and stops it with `signal` once it has written part of the file. */
async function interruptMidway(t: Awaited<ReturnType<typeof setup>>, signal: NodeJS.Signals) {
  const importer = spawn(process.execPath, [HOOKBENCH_BIN, 'import', t.bundle, '--data-dir', t.dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  importer.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = once(importer, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await waitUntil(t.imported, (n) => n >= 500, 120_000);
  importer.kill(signal);
  const [code, bySignal] = await exited;
  return { code, bySignal, stderr };
}

describe('an interrupted bundle import', () => {
  it('stopped by Ctrl+C (SIGINT) leaves no row behind when the process exits, and the next import stores it all', { timeout: 240_000 }, async () => {
    const t = await setup();
    const stopped = await interruptMidway(t, 'SIGINT');
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(stopped.stderr).toContain('interrupted; nothing was imported');
    expect(await t.imported()).toBe(0);
    expect(t.runningImports()).toBe(0);

    const again = await runCli(['import', t.bundle, '--data-dir', t.dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ format: 'bundle', deliveries: RECORDS, fixtures: 0 });
    expect(await t.imported()).toBe(RECORDS);
    expect(t.distinctImported()).toBe(RECORDS);
  });

  it('killed (SIGKILL) is taken back by the next import, which stores the file once, whole', { timeout: 240_000 }, async () => {
    const t = await setup();
    const killed = await interruptMidway(t, 'SIGKILL');
    expect(killed.bySignal).toBe('SIGKILL');
    const left = await t.imported();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(RECORDS);
    // The rows left are those of an import written down as running: the next one takes them back.
    expect(t.runningImports()).toBe(1);

    const again = await runCli(['import', t.bundle, '--data-dir', t.dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ format: 'bundle', deliveries: RECORDS, fixtures: 0 });
    expect(await t.imported()).toBe(RECORDS);
    expect(t.distinctImported()).toBe(RECORDS);
    expect(t.runningImports()).toBe(0);
  });
});

describe('importing the same bundle again', () => {
  it('adds no duplicates: every record is found already stored', { timeout: 240_000 }, async () => {
    const t = await setup();
    expect((await runCli(['import', t.bundle, '--data-dir', t.dir])).code).toBe(0);
    expect(await t.imported()).toBe(RECORDS);

    const again = await runCli(['import', t.bundle, '--data-dir', t.dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ format: 'bundle', deliveries: 0, fixtures: 0, alreadyStored: RECORDS });
    expect(await t.imported()).toBe(RECORDS);
    const said = await runCli(['import', t.bundle, '--data-dir', t.dir]);
    expect(said.stdout).toContain(`${RECORDS} records were stored by an earlier import already and were left out`);
  });
});
