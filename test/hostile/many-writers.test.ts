/**
 * Several writers on one data dir, as the README promises: the CLI's import, trigger --count,
 * replay and package remove run as real processes beside a real `serve` that takes a steady
 * stream of signed deliveries. The receiver must keep answering promptly, every command must
 * succeed, and nothing acknowledged or triggered may be lost.
 * Needs `npm run build` (out/main/cli.js).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { writeHar } from '../helpers/har-file';
import { startDeliveryLoad } from '../helpers/delivery-load';
import { githubTagPush } from '../helpers/payloads';
import { runCli, startServe } from '../helpers/serve-process';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 42;
const HAR_ENTRIES = 2500;
const json = <T>(text: string) => JSON.parse(text) as T;

describe('many writers on one data dir', () => {
  it('keeps the receiver answering within a second while the CLI imports, triggers, replays and removes beside it', { timeout: 240_000 }, async () => {
    const dir = tempDataDir();
    const cli = async (args: string[]) => {
      const run = await runCli([...args, '--data-dir', dir, '--json']);
      if (run.code !== 0) throw new Error(`hookbench ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
      return run.stdout;
    };
    const pkg = json<PackageCreated>(await cli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', String(REPO_ID)]));
    const doomed = [];
    for (let i = 0; i < 3; i++) doomed.push(json<PackageCreated>(await cli(['package', 'add', '--provider', 'github', '--repo', `octo/old-${i}`, '--repo-id', String(100 + i)])));
    const sink = await startSink(() => ({ status: 204 }));
    const endpoint = json<{ id: string }>(
      await cli(['endpoint', 'add', '--name', 'load', '--url', sink.url, '--dialect', 'standard-webhooks', '--events', 'endpoint.ping', '--timeout-ms', '3000']),
    );
    // Two different exports: importing one file twice would store its records once.
    const hars = [join(dir, 'export-1.har'), join(dir, 'export-2.har')];
    for (const har of hars) writeHar(har, HAR_ENTRIES, JSON.stringify({ ...githubTagPush(7, 'v1.0.0'), padding: 'x'.repeat(4000) }), [['X-GitHub-Event', 'push']]);

    const serve = await startServe(dir, ['--no-ui']);
    let serveExit: number | null | undefined;
    serve.child.once('exit', (code) => (serveExit = code));
    onTestFinished(() => serve.stop('SIGKILL').then(() => undefined));
    const load = startDeliveryLoad(serve.receiver + new URL(pkg.hookUrl).pathname, pkg.secret, REPO_ID, 50);
    await waitUntil(async () => load.answers.length, (n) => n >= 20);

    const triggered: number[] = [];
    const trigger = async () => {
      const out = json<{ sent: number; succeeded: number }>(await cli(['trigger', '--endpoint', endpoint.id, '--event', 'endpoint.ping', '--count', '100']));
      expect(out).toMatchObject({ sent: 100, succeeded: 100 });
      triggered.push(out.sent);
    };
    const firstAcked = load.answers.find((a) => a.rowId !== null)!.rowId!;
    // Two commands at a time beside serve: the imports, and the others in turn.
    const writers = [
      (async () => {
        for (const har of hars) await cli(['import', har]);
      })(),
      (async () => {
        for (let i = 0; i < 4; i++) {
          await trigger();
          await cli(['replay', String(firstAcked), '--package', pkg.id, '--mode', 'resign', '--new-id']);
          if (doomed[i]) await cli(['package', 'remove', doomed[i]!.id]);
        }
      })(),
    ];
    // The health check answers from memory: it must not wait behind anyone's lock either.
    const health: { status: number; ms: number }[] = [];
    let writing = true;
    const probing = (async () => {
      while (writing) {
        const started = performance.now();
        const res = await fetch(`${serve.receiver}/healthz`);
        await res.arrayBuffer();
        health.push({ status: res.status, ms: performance.now() - started });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const settled = await Promise.allSettled(writers);
    writing = false;
    await probing;
    const answers = await load.stop();

    expect(serveExit).toBeUndefined();
    expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    expect(answers.filter((a) => a.status === null || a.status >= 500)).toEqual([]);
    const slow = answers.filter((a) => a.ms >= 1000).map((a) => Math.round(a.ms));
    expect(slow).toEqual([]);
    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((h) => h.status !== 200 || h.ms >= 1000)).toEqual([]);

    // Nothing lost: every acknowledged delivery is stored, every triggered message reached the sink.
    const acked = answers.filter((a) => a.status !== null && a.status < 300);
    expect(acked.length).toBe(answers.length);
    const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    const stored = new Set((db.prepare("SELECT provider_delivery_id AS id FROM deliveries WHERE source = 'direct'").all() as { id: string }[]).map((r) => r.id));
    expect(acked.filter((a) => !stored.has(a.delivery))).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM deliveries WHERE source = 'import'").pluck().get()).toBe(2 * HAR_ENTRIES);
    const total = triggered.reduce((a, b) => a + b, 0);
    expect(total).toBe(400);
    expect(new Set(sink.received.map((r) => r.header('webhook-id'))).size).toBe(total);
  });
});
