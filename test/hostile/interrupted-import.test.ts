/**
 * An import writes in short slices so a running serve keeps the write lock for its receiver.
 * Killed midway, it must still leave nothing behind: what it wrote is taken back by the next
 * start of serve (or the next import).
 * Needs `npm run build` (out/main/cli.js).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { writeHar } from '../helpers/har-file';
import { HOOKBENCH_BIN, runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

describe('an import killed midway', () => {
  it('is taken back whole by the next start of serve, and a later import is kept', { timeout: 120_000 }, async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'list', '--data-dir', dir])).code).toBe(0);
    const big = join(dir, 'big.har');
    writeHar(big, 5000, JSON.stringify({ padding: 'x'.repeat(4000) }));
    const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    const imported = () => Promise.resolve((db.prepare("SELECT count(*) FROM deliveries WHERE source = 'import'").pluck().get() as number) ?? 0);

    const importer = spawn(process.execPath, [HOOKBENCH_BIN, 'import', big, '--data-dir', dir], { stdio: 'ignore' });
    const exited = new Promise((resolve) => importer.once('exit', resolve));
    await waitUntil(imported, (n) => n > 0, 60_000);
    importer.kill('SIGKILL');
    await exited;
    expect(await imported()).toBeGreaterThan(0);
    expect(await imported()).toBeLessThan(5000);

    const serve = await startServe(dir, ['--no-ui']);
    onTestFinished(() => serve.stop().then(() => undefined));
    await waitUntil(imported, (n) => n === 0, 60_000);

    const small = join(dir, 'small.har');
    writeHar(small, 3, JSON.stringify({ padding: 'x'.repeat(4000) }));
    expect((await runCli(['import', small, '--data-dir', dir])).code).toBe(0);
    expect(await imported()).toBe(3);
  });
});
