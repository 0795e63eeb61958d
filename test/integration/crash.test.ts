/**
 * Crash safety of the receiver, end to end through the built CLI:
 * acknowledge a few hundred signed tag pushes, SIGKILL `serve` with requests in flight,
 * restart it on the same data dir, and check that every acknowledged delivery survived
 * exactly once and was ingested exactly once.
 * Needs `npm run build` (out/main/cli.js).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { PackageCreated } from '../../src/shared/types';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli, startServe, type ServeHandle } from '../helpers/serve-process';

const BUILT = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
const REPO_ID = 42;
const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 300;

function postOnce(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged delivery exactly once across a SIGKILL and ingests each tag once', { timeout: 120_000 }, async () => {
    if (!existsSync(BUILT)) throw new Error('out/main/cli.js is missing: run "npm run build" first.');
    const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-crash-'));
    const children: ServeHandle[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    onTestFinished(async () => {
      agent.destroy();
      for (const s of children) await s.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });
    const serve = async () => {
      const handle = await startServe(dataDir, ['--no-ui']);
      children.push(handle);
      return handle;
    };

    const added = await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', String(REPO_ID), '--data-dir', dataDir, '--json']);
    const pkg = JSON.parse(added.stdout) as PackageCreated;
    const first = await serve();
    const url = new URL(first.receiver + new URL(pkg.hookUrl).pathname);

    // Fire signed tag pushes until enough are acknowledged, then SIGKILL with requests in flight.
    const acked: { delivery: string; tag: string }[] = [];
    const refused: number[] = [];
    let errored = 0; // cut off by the kill: unknown to the sender, may or may not be stored
    let inFlight = 0;
    let inFlightAtKill = -1;
    let seq = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const tag = `v1.${seq++}.0`;
        const delivery = randomUUID();
        const body = JSON.stringify(githubTagPush(REPO_ID, tag));
        const headers = await githubHeaders('push', body, pkg.secret, delivery);
        inFlight++;
        try {
          const status = await postOnce(agent, url, body, headers);
          if (status >= 200 && status < 300) acked.push({ delivery, tag });
          else refused.push(status);
        } catch {
          errored++;
        } finally {
          inFlight--;
        }
        if (!killed && acked.length >= KILL_AFTER_ACKS) {
          killed = true;
          inFlightAtKill = inFlight;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await first.stop('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(refused).toEqual([]);
    expect(acked.length, `${errored} requests were cut off by the kill`).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // Restart on the same data dir; it resumes ingest of whatever the crash left pending.
    await serve();
    const db = new Database(join(dataDir, 'hookbench.sqlite'), { readonly: true, fileMustExist: true });
    onTestFinished(() => {
      db.close();
    });
    const pending = db.prepare("SELECT count(*) AS n FROM deliveries WHERE outcome = 'pending'");
    await vi.waitFor(() => expect((pending.get() as { n: number }).n).toBe(0), { timeout: 90_000, interval: 50 });

    const rows = db
      .prepare('SELECT provider_delivery_id AS delivery, outcome, tag, release_id AS releaseId FROM deliveries WHERE package_id = ?')
      .all(pkg.id) as { delivery: string; outcome: string; tag: string; releaseId: number | null }[];
    const byDelivery = new Map<string, typeof rows>();
    for (const r of rows) byDelivery.set(r.delivery, [...(byDelivery.get(r.delivery) ?? []), r]);

    // Every acknowledged delivery is stored exactly once and was ingested (not pending, not skipped).
    const notOnce = acked.filter((a) => byDelivery.get(a.delivery)?.length !== 1);
    expect(notOnce).toEqual([]);
    const notIngested = acked.filter((a) => byDelivery.get(a.delivery)![0]!.outcome !== 'ingested');
    expect(notIngested).toEqual([]);

    // One release per acknowledged tag, and nothing ingested twice anywhere in the table.
    const releases = db.prepare('SELECT id, tag, delivery_id AS deliveryId FROM releases WHERE package_id = ?').all(pkg.id) as {
      id: number;
      tag: string;
      deliveryId: number;
    }[];
    const releasesByTag = new Map<string, number>();
    for (const r of releases) releasesByTag.set(r.tag, (releasesByTag.get(r.tag) ?? 0) + 1);
    const ackedTags = new Set(acked.map((a) => a.tag));
    expect(ackedTags.size).toBe(acked.length);
    expect([...ackedTags].filter((tag) => releasesByTag.get(tag) !== 1)).toEqual([]);
    const ingested = rows.filter((r) => r.outcome === 'ingested');
    expect(new Set(ingested.map((r) => r.releaseId)).size).toBe(ingested.length);
    expect(releases.length).toBe(ingested.length);
    // Deliveries the crash cut off may or may not have been committed; none may be left half-done.
    expect(rows.filter((r) => r.outcome !== 'ingested')).toEqual([]);
  });
});
