/**
 * Crash safety of the tunnel, end to end through the built CLI: a burst of signed tag
 * pushes goes through a smee channel to `hookbench serve`, which is SIGKILLed in the middle
 * of it and started again on the same data dir. Every event it had stored is ingested
 * exactly once, and the loss (what smee relayed while no one read) lies inside the window
 * the feed and `tunnel status --json` name.
 * Needs `npm run build` (out/main/cli.js).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ActivityEntry, PackageCreated, TunnelCreated, TunnelStatus } from '../../src/shared/types';
import { startFakeSmee } from '../helpers/fake-smee';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli, startServe, type ServeHandle } from '../helpers/serve-process';

const BUILT = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
const REPO_ID = 42;
const SENDERS = 16;
const KILL_AFTER_RELAYED = 300;

describe('tunnel crash safety', () => {
  it('SIGKILL under a tunnel burst: what was stored is ingested exactly once after a restart, and the feed names the loss window', { timeout: 120_000 }, async () => {
    if (!existsSync(BUILT)) throw new Error('out/main/cli.js is missing: run "npm run build" first.');
    const smee = await startFakeSmee({ pingIntervalMs: 1_000 });
    const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-tunnel-crash-'));
    const children: ServeHandle[] = [];
    onTestFinished(async () => {
      for (const s of children) await s.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });
    const cli = async <T>(args: string[]) => JSON.parse((await runCli([...args, '--data-dir', dataDir, '--json'])).stdout) as T;
    const pkg = await cli<PackageCreated>(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', String(REPO_ID)]);
    const tunnel = await cli<TunnelCreated>(['tunnel', 'create', '--server', smee.url]);
    const channel = new URL(tunnel.channelUrl).pathname.slice(1);
    const hookUrl = `${tunnel.hookUrlBase}/hooks/${new URL(pkg.hookUrl).pathname.split('/').pop()}`;

    const first = await startServe(dataDir, ['--no-ui']);
    children.push(first);
    await smee.waitForStreams(1, channel, 30_000);

    // A burst from 16 senders; serve is killed once smee has relayed enough of it, and the senders go on a little.
    let seq = 0;
    let killedAt = 0;
    const sender = async () => {
      while (killedAt === 0 || Date.now() - killedAt < 300) {
        const body = JSON.stringify(githubTagPush(REPO_ID, `v1.${seq++}.0`));
        await smee.post(hookUrl, body, await githubHeaders('push', body, pkg.secret, randomUUID()));
        if (killedAt === 0 && smee.relayed.length >= KILL_AFTER_RELAYED) {
          killedAt = Date.now();
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    await first.stop('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');

    const dbFile = join(dataDir, 'hookbench.sqlite');
    const storedBefore = (() => {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare("SELECT provider_delivery_id AS id FROM deliveries WHERE source = 'tunnel'").all() as { id: string }[]).map((r) => r.id);
      } finally {
        db.close();
      }
    })();
    expect(storedBefore.length).toBeGreaterThan(0);

    // Restart on the same data dir: ingest resumes, the tunnel reconnects and names the gap.
    const second = await startServe(dataDir, ['--no-ui']);
    children.push(second);
    await smee.waitForStreams(1, channel, 30_000);
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    onTestFinished(() => {
      db.close();
    });
    const pending = db.prepare("SELECT count(*) AS n FROM deliveries WHERE outcome = 'pending'");
    await vi.waitFor(() => expect((pending.get() as { n: number }).n).toBe(0), { timeout: 60_000, interval: 50 });

    const rows = db.prepare("SELECT provider_delivery_id AS id, outcome, verdict, tag FROM deliveries WHERE source = 'tunnel'").all() as { id: string; outcome: string; verdict: string; tag: string }[];
    // Nothing new came in after the restart, and every row stored before the kill is there once, verified and ingested.
    expect(rows.map((r) => r.id).sort()).toEqual([...storedBefore].sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.outcome !== 'ingested' || r.verdict !== 'valid')).toEqual([]);
    const releases = db.prepare('SELECT tag, count(*) AS n FROM releases GROUP BY tag').all() as { tag: string; n: number }[];
    expect(releases.length).toBe(rows.length);
    expect(releases.filter((r) => r.n !== 1)).toEqual([]);

    // What smee relayed and no one stored lies inside the named window.
    const stored = new Set(storedBefore);
    const lost = smee.relayed.filter((r) => !stored.has(String(r.data['x-github-delivery'])));
    expect(lost.length).toBeGreaterThan(0);
    const status = await cli<TunnelStatus>(['tunnel', 'status']);
    const gap = status.gaps[0]!;
    expect(gap).toMatchObject({ cause: 'not running', hooks: [expect.objectContaining({ packageId: pkg.id, managed: false })] });
    const relayedAt = lost.map((r) => r.data.timestamp as number);
    expect(gap.from).toBeLessThanOrEqual(Math.min(...relayedAt));
    expect(gap.to).toBeGreaterThanOrEqual(Math.max(...relayedAt));
    expect(gap.from).toBeLessThanOrEqual(killedAt);

    const feed = (await cli<{ items: ActivityEntry[] }>(['activity', '--limit', '5000'])).items;
    const named = feed.find((a) => a.kind === 'tunnel_gap');
    expect(named?.message).toContain(`from ${new Date(gap.from).toISOString()} to ${new Date(gap.to).toISOString()}`);
    expect(named?.message).toMatch(/Hookbench was not reading the channel.*Could have lost deliveries: octo\/widgets\..*Recent Deliveries: redeliver those sent between/);
  });
});
