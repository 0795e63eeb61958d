import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import type { ActivityEntry, DeliveryDetail, DeliverySummary } from '../../src/shared/types';
import { githubHeaders, githubTagPush, gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { runCli } from '../helpers/serve-process';
import { servePackage } from '../helpers/served-package';
import { waitUntil } from '../helpers/wait-until';

const MiB = 1024 * 1024;

/** POSTs a body as a stranger holding the hook URL would: a push event, with or without a made-up signature. */
function postAsStranger(url: string, body: Buffer, forged = false, extra: Record<string, string> = {}): Promise<{ status: number | string; retryAfter?: string | undefined }> {
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'x-github-event': 'push', 'content-length': body.length, ...extra };
  if (forged) headers['x-hub-signature-256'] = 'sha256=' + '0'.repeat(64);
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? e.message }));
    req.end(body);
  });
}

const residentMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const storedBodyBytes = (dir: string) => {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT COALESCE(SUM(LENGTH(body)), 0) FROM deliveries').pluck().get() as number;
  } finally {
    db.close();
  }
};

const cli = async <T>(dir: string, ...args: string[]) => JSON.parse((await runCli([...args, '--data-dir', dir, '--json'])).stdout) as T;

describe('refused requests cost little', () => {
  it('keeps only the first bytes of each unsigned request, then answers 429 and sums the rest up in the activity feed', async () => {
    // Behind a local proxy that names the caller (loopback itself is never throttled).
    const { dir, hookUrl } = await servePackage(['--rejected-body-limit', '4KiB', '--rejections-per-minute', '5', '--trust-proxy', '127.0.0.1']);
    const body = Buffer.alloc(MiB, '{');
    const stranger = { 'x-forwarded-for': '203.0.113.7' };
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await postAsStranger(hookUrl, body, false, stranger));
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
    expect(Number(answers[5]!.retryAfter)).toBeGreaterThan(0);

    const rows = (await cli<{ items: DeliverySummary[] }>(dir, 'delivery', 'list')).items.reverse();
    expect(rows).toHaveLength(5);
    const detail = await cli<DeliveryDetail>(dir, 'delivery', 'show', String(rows[0]!.id));
    expect(detail).toMatchObject({ outcome: 'rejected', verdict: 'missing', bodySize: MiB, bodyTruncated: true });
    expect(Buffer.from(detail.bodyBase64, 'base64')).toEqual(body.subarray(0, 4096));
    expect((await runCli(['delivery', 'show', String(rows[0]!.id), '--data-dir', dir])).stdout).toMatch(/body truncated: the first 4096 of 1048576 bytes were kept/);
    expect(storedBodyBytes(dir)).toBe(5 * 4096);
    // Another caller is still heard.
    expect((await postAsStranger(hookUrl, body, false, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(403);

    const feed = await waitUntil(
      () => cli<{ items: ActivityEntry[] }>(dir, 'activity').then((p) => p.items),
      (entries) => entries.some((e) => /429/.test(e.message)),
    );
    expect(feed.find((e) => /429/.test(e.message))!.message).toMatch(/^Answered \d requests? 429 without reading .*203\.0\.113\.7 \(\d\)/);
  });

  it('gives back its memory after 32 concurrent 25 MiB requests without a valid signature, and stores only their first bytes', async () => {
    const { dir, hookUrl, serve } = await servePackage(['--request-timeout', '300']);
    const pid = serve.child.pid!;
    const baseline = residentMiB(pid);
    const body = Buffer.alloc(25 * MiB - 1024, 'a');
    // Half carry no signature at all, half a made-up one (their bodies must be read to be checked).
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => postAsStranger(hookUrl, body, i % 2 === 1)));
    expect(answers.map((a) => a.status)).toEqual(Array(32).fill(403));

    // Given back once V8 collects the request buffers, which an idle process on a busy machine may do only after tens of seconds.
    const after = await waitUntil(async () => residentMiB(pid), (rss) => rss < baseline + 128, 180_000);
    expect(after).toBeLessThan(baseline + 128);
    expect(storedBodyBytes(dir)).toBe(32 * 64 * 1024);
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((f) => join(dir, f)).filter((f) => existsSync(f));
    expect(files.reduce((sum, f) => sum + statSync(f).size, 0)).toBeLessThan(32 * MiB);
  }, 300_000);

  it('still reads and accepts signed deliveries far larger than what a refused one keeps, whichever way they are signed', async () => {
    const padding = 'x'.repeat(200 * 1024);
    const github = await servePackage(['--rejected-body-limit', '1KiB']);
    const githubBody = JSON.stringify({ ...githubTagPush(42, 'v1.0.0'), padding });
    const viaHub = await fetch(github.hookUrl, { method: 'POST', body: githubBody, headers: await githubHeaders('push', githubBody, github.pkg.secret) });
    expect(viaHub.status).toBe(202);

    const gitlab = await servePackage(['--rejected-body-limit', '1KiB'], 15, 'gitlab');
    const gitlabBody = JSON.stringify({ ...gitlabTagPush(15, 'v1.0.0'), padding });
    const viaToken = await fetch(gitlab.hookUrl, { method: 'POST', body: gitlabBody, headers: gitlabHeaders('Tag Push Hook', gitlab.pkg.secret) });
    expect(viaToken.status).toBe(202);
    const id = randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const other = JSON.stringify({ ...gitlabTagPush(15, 'v2.0.0'), padding });
    const key = Buffer.from(gitlab.pkg.signingToken.replace(/^whsec_/, ''), 'base64');
    const signature = 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.${other}`).digest('base64');
    const viaSigningToken = await fetch(gitlab.hookUrl, {
      method: 'POST',
      body: other,
      headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Tag Push Hook', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature },
    });
    expect(viaSigningToken.status).toBe(202);
  });
});
