/**
 * A large import file written on one line (as JSON.stringify writes a HAR) is read a record
 * at a time: the importing process never holds the file, let alone its parsed form.
 * Measured on a real CLI process through Linux's /proc (the peak resident set size).
 * Needs `npm run build` (out/main/cli.js).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeOneLineHar } from '../helpers/bundle-file';
import { tempDataDir } from '../helpers/data-dir';
import { HOOKBENCH_BIN, runCli } from '../helpers/serve-process';

const ENTRIES = 2100;
const BODY_BYTES = 100_000;

/** The process's peak resident set size so far, in bytes (null once it has gone). */
function peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

describe('importing a large one-line file', () => {
  it.runIf(process.platform === 'linux')('holds a record at a time, not the file: peak memory stays under 1.5 times the file size', { timeout: 300_000 }, async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'list', '--data-dir', dir])).code).toBe(0);
    const har = join(dir, 'one-line.har');
    writeOneLineHar(har, ENTRIES, BODY_BYTES);
    const size = statSync(har).size;
    expect(size).toBeGreaterThan(200 * 1024 * 1024);

    const importer = spawn(process.execPath, [HOOKBENCH_BIN, 'import', har, '--data-dir', dir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // The kernel keeps the high-water mark, so reading it when the importer writes its result
    // (the last thing it does, all the work behind it) catches the peak.
    let peak = 0;
    const sample = () => (peak = Math.max(peak, peakRss(importer.pid!) ?? 0));
    importer.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), sample()));
    importer.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), sample()));
    const exited = once(importer, 'exit');
    const [code] = await exited;
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ format: 'har', deliveries: ENTRIES, fixtures: 0 });
    const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM deliveries WHERE source = 'import'").pluck().get()).toBe(ENTRIES);
    db.close();

    // Reading the whole file and parsing it took 3.4 times its size (703 MB for 205 MB); a
    // record at a time, about 210 MB of which ~95 MB is the process before it reads a byte.
    expect(peak).toBeGreaterThan(0);
    expect(peak, `peak ${Math.round(peak / 1e6)} MB for a ${Math.round(size / 1e6)} MB file`).toBeLessThan(1.5 * size);
  });
});
