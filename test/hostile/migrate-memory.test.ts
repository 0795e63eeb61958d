/**
 * Moving a large data dir to PostgreSQL streams it: bodies go in bounded batches, never all at
 * once. Measured on a real CLI process through Linux's /proc (the peak resident set size).
 * Needs `npm run build` (out/main/cli.js).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { HOOKBENCH_BIN, runCli } from '../helpers/serve-process';

const DELIVERIES = 1000;
const BODY_BYTES = 256 * 1024;

/** The process's peak resident set size so far, in bytes (null once it has gone). */
function peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Runs migrate and reads its peak memory whenever it writes (progress, and its report last of all). */
async function move(from: string, to: string): Promise<{ stdout: string; peak: number }> {
  const mover = spawn(process.execPath, [HOOKBENCH_BIN, 'migrate', '--from', from, '--to', to, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOOKBENCH_SECRET_KEY: randomBytes(32).toString('base64') },
  });
  let stdout = '';
  let stderr = '';
  // The kernel keeps the high-water mark, so the last reading is the peak.
  let peak = 0;
  const sample = () => (peak = Math.max(peak, peakRss(mover.pid!) ?? 0));
  mover.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), sample()));
  mover.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), sample()));
  const [code] = await once(mover, 'exit');
  expect(code, stderr).toBe(0);
  return { stdout, peak };
}

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

describe('migrating a large data dir', () => {
  it.runIf(process.platform === 'linux')('holds a batch at a time, not the deliveries: peak memory stays well under their bodies', { timeout: 300_000 }, async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'list', '--data-dir', dir])).code).toBe(0);
    const db = new Database(join(dir, 'hookbench.sqlite'));
    const insert = db.prepare(
      "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('h', ?, 'import', '[]', ?, ?, 'unchecked', 202, 'captured')",
    );
    db.transaction(() => {
      for (let i = 0; i < DELIVERIES; i++) insert.run(i, randomBytes(BODY_BYTES), BODY_BYTES);
    })();
    db.close();
    const total = DELIVERIES * BODY_BYTES;

    const small = tempDataDir();
    expect((await runCli(['package', 'list', '--data-dir', small])).code).toBe(0);
    const baseline = await move(small, cluster.createDatabase('small'));
    const moved = await move(dir, cluster.createDatabase('big'));
    const report = JSON.parse(moved.stdout) as { tables: { table: string; target: number }[]; digests: { table: string; ok: boolean }[] };
    expect(report.tables.find((t) => t.table === 'deliveries')!.target).toBe(DELIVERIES);
    expect(report.digests.find((d) => d.table === 'deliveries')!.ok).toBe(true);

    // Holding every body would add at least their size to what an empty data dir takes.
    const peak = moved.peak - baseline.peak;
    expect(baseline.peak).toBeGreaterThan(0);
    expect(peak, `peak ${Math.round(moved.peak / 1e6)} MB, ${Math.round(baseline.peak / 1e6)} MB for an empty data dir, ${Math.round(total / 1e6)} MB of bodies`).toBeLessThan(0.6 * total);
  });
});
