import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import { createEngine, type Engine } from '../../src/main/engine';
import { openDatabase } from '../../src/main/engine/db/open';
import { diskFeed } from '../../src/main/engine/storage/disk-feed';
import { listActivity } from '../../src/main/engine/store/activity';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 77;

/**
 * A small volume of its own: a tmpfs mounted for the test (we run as root). Where mounting is
 * not allowed, the database is capped by PRAGMA max_page_count instead, which makes SQLite fail
 * with the same SQLITE_FULL.
 */
function smallVolume(megabytes: number): { dir: string; mounted: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    onTestFinished(() => {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    });
    return { dir, mounted: true };
  } catch (error) {
    console.warn(`Cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}): the disk is filled with PRAGMA max_page_count instead.`);
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    return { dir, mounted: false };
  }
}

const freeBytes = (dir: string) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

async function serving(dataDir: string, minFreeBytes: number) {
  const engine = createEngine({ dataDir, minFreeBytes });
  let closed = false;
  const close = async () => {
    if (!closed) await engine.close();
    closed = true;
  };
  onTestFinished(close);
  const pkg = (await engine.invoke('packages.add', { provider: 'github', repo: 'octo/full', repoId: String(REPO_ID) })) as { hookUrl: string; secret: string };
  const url = (await engine.startReceiver({ port: 0 })) + new URL(pkg.hookUrl).pathname;
  await engine.startWorkers();
  let seq = 0;
  const send = async (bytes = 0) => {
    const payload = { ...githubTagPush(REPO_ID, `v1.${seq++}.0`), filler: 'x'.repeat(bytes) };
    const body = JSON.stringify(payload);
    const res = await fetch(url, { method: 'POST', body, headers: await githubHeaders('push', body, pkg.secret) });
    const json = (await res.json()) as { delivery?: number; error?: string; reason?: string };
    return { status: res.status, ...json };
  };
  return { engine, send, close };
}

function storedIds(dataDir: string): Set<number> {
  const db = new Database(join(dataDir, 'hookbench.sqlite'), { readonly: true });
  try {
    return new Set(db.prepare('SELECT id FROM deliveries').pluck().all() as number[]);
  } finally {
    db.close();
  }
}

const feed = async (engine: Engine) => ((await engine.invoke('activity.list', { limit: 1000 })) as { kind: string; message: string }[]).filter((e) => e.kind === 'disk_full');

describe('a full disk', () => {
  it('is answered 503 (never 2xx) when SQLite cannot write, loses nothing acknowledged, and says so in the feed', async () => {
    const volume = smallVolume(16);
    const dataDir = join(volume.dir, 'data');
    mkdirSync(dataDir);
    const { engine, send, close } = await serving(dataDir, 0);
    const filler = join(volume.dir, 'filler');
    if (volume.mounted) writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(volume.dir) - 3 * 1024 ** 2)));
    else engine.db.$client.pragma(`max_page_count = ${(engine.db.$client.pragma('page_count', { simple: true }) as number) + 700}`);

    const answers: Awaited<ReturnType<typeof send>>[] = [];
    while (answers.filter((a) => a.status === 503).length < 3 && answers.length < 400) answers.push(await send(16 * 1024));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([202, 503]));
    const refused = answers.find((a) => a.status === 503)!;
    expect(refused).toMatchObject({ error: 'disk_full' });
    expect(refused.reason).toContain('is full');

    // Space comes back: deliveries are stored again.
    if (volume.mounted) rmSync(filler);
    else engine.db.$client.pragma('max_page_count = 1073741823');
    const after = await waitUntil(() => send(), (a) => a.status === 202);
    answers.push(after);
    await waitUntil(() => feed(engine), (entries) => entries.length >= 2);
    const messages = (await feed(engine)).map((e) => e.message).join('\n');
    expect(messages).toContain('The receiver answers 503 to every delivery');
    expect(messages).toMatch(/Deliveries are stored again\. While .* \d+ requests? (was|were) answered 503/);

    await close();
    const stored = storedIds(dataDir);
    const acknowledged = answers.filter((a) => a.status === 202).map((a) => a.delivery!);
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('keeps a feed entry the full disk cannot take until it can, never showing one that was not stored', async () => {
    const volume = smallVolume(16);
    if (!volume.mounted) return console.warn('The write-ahead log cannot be kept from growing without a volume of its own; not tested.');
    const dataDir = join(volume.dir, 'data');
    mkdirSync(dataDir);
    const db = openDatabase(dataDir);
    onTestFinished(() => {
      db.$client.close();
    });
    const published: number[] = [];
    const onChange = diskFeed(db, (event: PushEvent) => event.type === 'activity' && published.push(event.entry.id));
    const written = () => new Promise<void>((resolve) => setImmediate(resolve));
    const stored = () => listActivity(db, { limit: 100 });

    // Not a byte left: the log cannot grow for the entry's commit.
    const filler = join(volume.dir, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(volume.dir)));
    const since = Date.now();
    const reason = 'the disk is full';
    onChange({ refusing: true, reason, since, refused: 0, floorBytes: 0 }, null);
    await written();
    expect(published.filter((id) => !stored().some((e) => e.id === id))).toEqual([]);

    rmSync(filler);
    onChange({ refusing: false, reason: null, since: null, refused: 0, floorBytes: 0 }, { refused: 4, since, reason });
    await written();
    const entries = stored().reverse();
    expect(entries.map((e) => e.message)).toEqual([expect.stringContaining('The receiver answers 503 to every delivery: the disk is full'), expect.stringContaining('4 requests were answered 503')]);
    expect(entries[0]!.at).toBe(since);
    expect(published).toEqual(entries.map((e) => e.id));
  });

  it('refuses deliveries before writing anything while free space is under the floor', async () => {
    const volume = smallVolume(32);
    if (!volume.mounted) return console.warn('Free space cannot be lowered without a volume of its own; the floor was not tested.');
    const dataDir = join(volume.dir, 'data');
    mkdirSync(dataDir);
    const { engine, send } = await serving(dataDir, 20 * 1024 ** 2);
    expect((await send()).status).toBe(202);
    const filler = join(volume.dir, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(volume.dir) - 10 * 1024 ** 2));
    const refused = await waitUntil(() => send(), (a) => a.status === 503);
    expect(refused.reason).toContain('under the 20.0 MiB kept free (serve --min-free)');
    const before = storedIds(dataDir).size;
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(503);
    expect(storedIds(dataDir).size).toBe(before);
    expect((await feed(engine))[0]!.message).toContain('The receiver answers 503 to every delivery: only');

    rmSync(filler);
    await waitUntil(() => send(), (a) => a.status === 202);
    await waitUntil(() => feed(engine), (entries) => entries[0]!.message.includes('stored again'));
  });
});
