import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PruneReport } from '../../src/shared/retention-types';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { startDeliveryLoad } from '../helpers/delivery-load';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 88;
const YEAR_AGO = Date.now() - 365 * 86_400_000;

async function cli<T>(dir: string, ...args: string[]): Promise<T> {
  const run = await runCli([...args, '--data-dir', dir, '--json']);
  if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Old deliveries of the package, written straight into the database file. */
function addOldDeliveries(dir: string, pkg: PackageCreated, count: number): void {
  const raw = new Database(join(dir, 'hookbench.sqlite'));
  raw.pragma('busy_timeout = 10000');
  const insert = raw.prepare(
    `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
     VALUES (?, ?, ?, 'direct', '[]', ?, 2048, 'valid', 202, 'ignored')`,
  );
  const hookId = pkg.hookUrl.split('/').at(-1)!;
  raw.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(hookId, pkg.id, YEAR_AGO + i, Buffer.alloc(2048, i % 251));
  })();
  raw.close();
}

describe('pruning under load', () => {
  it('removes old deliveries in the background and from the CLI while the receiver answers every request, losing nothing it acknowledged', async () => {
    const dir = tempDataDir();
    const pkg = await cli<PackageCreated>(dir, 'package', 'add', '--provider', 'github', '--repo', 'octo/prune', '--repo-id', String(REPO_ID));
    addOldDeliveries(dir, pkg, 20_000);
    await cli(dir, 'retention', 'set', '--days', '30');
    const serve = await startServe(dir, ['--no-ui']);
    onTestFinished(() => serve.stop().then(() => undefined));
    const hookUrl = `${serve.receiver}/hooks/${pkg.hookUrl.split('/').at(-1)}`;
    const load = startDeliveryLoad(hookUrl, pkg.secret, REPO_ID, 50);
    onTestFinished(() => load.stop().then(() => undefined));
    const forged: number[] = [];
    const sendForged = async () => {
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v6.6.6'));
      forged.push((await fetch(hookUrl, { method: 'POST', body, headers: await githubHeaders('push', body, 'not-the-secret') })).status);
    };

    const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    onTestFinished(() => void db.close());
    const old = () => db.prepare('SELECT count(*) FROM deliveries WHERE received_at < ?').pluck().get(YEAR_AGO + 1_000_000) as number;
    // serve applies the policy by itself a few seconds after it starts.
    await waitUntil(async () => (await sendForged(), old()), (n) => n === 0, 60_000);

    // Then more old rows, pruned from the command line beside the running serve.
    addOldDeliveries(dir, pkg, 10_000);
    const [report] = await Promise.all([cli<PruneReport>(dir, 'prune'), sendForged(), sendForged()]);
    expect(report.total.rows).toBe(10_000);
    expect(old()).toBe(0);

    const answers = await load.stop();
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    expect(new Set(forged)).toEqual(new Set([403]));
    const stored = new Set(db.prepare('SELECT id FROM deliveries').pluck().all() as number[]);
    expect(answers.filter((a) => !stored.has(a.rowId!))).toEqual([]);
    const feed = (await cli<{ items: { kind: string; message: string }[] }>(dir, 'activity', '--limit', '10000')).items;
    expect(feed.filter((e) => e.kind === 'pruned').map((e) => e.message).join('\n')).toContain('Retention removed 20000 deliveries and messages');
  }, 120_000);
});
