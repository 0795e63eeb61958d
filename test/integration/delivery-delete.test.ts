import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DeliveryDeletion, DeliverySummary, Release } from '../../src/shared/types';
import { startDeliveryLoad } from '../helpers/delivery-load';
import { githubBranchPush, githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli } from '../helpers/serve-process';
import { servePackage } from '../helpers/served-package';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 51;

async function cli<T>(dir: string, ...args: string[]): Promise<T> {
  const run = await runCli([...args, '--data-dir', dir, '--json']);
  if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

describe('delivery delete', () => {
  it('deletes by id or filter, keeps what a release or fixture links to unless told, and says so', async () => {
    const { dir, pkg, hookUrl } = await servePackage(['--no-ui'], REPO_ID);
    const send = async (body: string, secret = pkg.secret, event = 'push') =>
      (await fetch(hookUrl, { method: 'POST', body, headers: await githubHeaders(event, body, secret) })).status;
    for (const tag of ['v1.0.0', 'v1.1.0']) expect(await send(JSON.stringify(githubTagPush(REPO_ID, tag)))).toBe(202);
    for (let i = 0; i < 3; i++) expect(await send(JSON.stringify(githubTagPush(REPO_ID, `v6.6.${i}`)), 'forged')).toBe(403);
    expect(await send(JSON.stringify(githubBranchPush(REPO_ID)))).toBe(202);
    await waitUntil(() => cli<{ items: Release[] }>(dir, 'release', 'list', '--package', pkg.id).then((p) => p.items), (r) => r.length === 2);
    const rejected = await cli<{ items: DeliverySummary[] }>(dir, 'delivery', 'list', '--outcome', 'rejected').then((p) => p.items);
    const saved = rejected[0]!.id;
    expect((await runCli(['fixture', 'save', String(saved), '--name', 'forged one', '--data-dir', dir])).code).toBe(0);

    const dry = await cli<DeliveryDeletion>(dir, 'delivery', 'delete', '--outcome', 'rejected', '--dry-run');
    expect(dry).toMatchObject({ dryRun: true, matched: 3, deleted: 2, keptCount: 1, keptForFixture: [saved] });
    expect(await cli<{ items: DeliverySummary[] }>(dir, 'delivery', 'list', '--outcome', 'rejected').then((p) => p.items)).toHaveLength(3);

    const human = await runCli(['delivery', 'delete', '--outcome', 'rejected', '--data-dir', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Deleted 2 of 3 matching deliveries.');
    expect(human.stdout).toContain(`a fixture was saved from it: ${saved}`);
    expect((await cli<{ items: DeliverySummary[] }>(dir, 'delivery', 'list', '--outcome', 'rejected').then((p) => p.items)).map((d) => d.id)).toEqual([saved]);

    const ingested = await cli<{ items: DeliverySummary[] }>(dir, 'delivery', 'list', '--outcome', 'ingested').then((p) => p.items);
    const one = ingested[0]!;
    const kept = await cli<DeliveryDeletion>(dir, 'delivery', 'delete', String(one.id));
    expect(kept).toMatchObject({ deleted: 0, keptForRelease: [one.id] });
    const forced = await cli<DeliveryDeletion>(dir, 'delivery', 'delete', String(one.id), '--include-linked');
    expect(forced).toMatchObject({ deleted: 1, linkedDeleted: 1 });
    expect((await runCli(['delivery', 'show', String(one.id), '--data-dir', dir])).code).toBe(1);
    // The release stays, with everything but the link.
    const releases = await cli<{ items: Release[] }>(dir, 'release', 'list', '--package', pkg.id).then((p) => p.items);
    expect(releases.map((r) => r.tag).sort()).toEqual(['v1.0.0', 'v1.1.0']);

    const usage = await runCli(['delivery', 'delete', '--data-dir', dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('delivery delete needs ids, or at least one of');
  });

  it('deletes thousands of rows while the receiver keeps acknowledging, losing none of the new ones', async () => {
    const { dir, pkg, serve } = await servePackage(['--no-ui'], REPO_ID);
    const raw = new Database(join(dir, 'hookbench.sqlite'));
    const insert = raw.prepare(
      `INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
       VALUES ('hook_old', ?, 'import', '[]', ?, 1024, 'unchecked', 202, 'ignored')`,
    );
    raw.transaction(() => {
      for (let i = 0; i < 6000; i++) insert.run(1_600_000_000_000 + i, Buffer.alloc(1024, 7));
    })();
    raw.close();
    const load = startDeliveryLoad(serve.receiver + new URL(pkg.hookUrl).pathname, pkg.secret, REPO_ID, 50);
    onTestFinished(() => load.stop().then(() => undefined));
    await waitUntil(async () => load.answers.length, (n) => n >= 10);
    const result = await cli<DeliveryDeletion>(dir, 'delivery', 'delete', '--before', '2021-01-01T00:00:00Z');
    expect(result).toMatchObject({ matched: 6000, deleted: 6000, keptCount: 0 });
    const answers = await load.stop();
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    const stored = new Set(db.prepare('SELECT id FROM deliveries').pluck().all() as number[]);
    expect(answers.filter((a) => !stored.has(a.rowId!))).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM deliveries WHERE hook_id = 'hook_old'").pluck().get()).toBe(0);
  });
});
