import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { githubTagPush } from '../helpers/payloads';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { runCli } from '../helpers/serve-process';
import { startSink } from '../helpers/sink';

const startSite = engineSites();

// On both stores: the CLI on a data dir, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench CLI: import, export, replay, fixtures', () => {
    it('imports a bundle, exports it again byte for byte, replays one exactly and fires a saved fixture', async () => {
      const site = await startSite(kind);
      const dir = tempDataDir();
      const body = Buffer.from('{"zen":"Keep it logically awesome.","bytes":"\\u00e9\\u003c"}\n');
      const record = {
        kind: 'delivery',
        receivedAt: 1_700_000_000_000,
        headers: [
          ['Content-Type', 'application/json'],
          ['X-GitHub-Event', 'ping'],
          ['X-Hub-Signature-256', 'sha256=abc'],
        ],
        bodyBase64: body.toString('base64'),
      };
      const bundle = join(dir, 'in.bundle');
      writeFileSync(bundle, `${JSON.stringify({ format: 'hookbench-bundle', version: 1 })}\n${JSON.stringify(record)}\n`);
      const imported = await site.cli(...['import', bundle, '--json']);
      expect(JSON.parse(imported.stdout)).toEqual({ format: 'bundle', deliveries: 1, fixtures: 0 });

      const out = join(dir, 'out.bundle');
      expect((await site.cli(...['export', '--format', 'json', '--out', out])).code).toBe(0);
      const exported = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind?: string; bodyBase64?: string; headers?: unknown });
      const delivery = exported.find((r) => r.kind === 'delivery')!;
      expect(Buffer.from(delivery.bodyBase64!, 'base64').equals(body)).toBe(true);
      expect(delivery.headers).toEqual(record.headers);

      const sink = await startSink(() => ({ status: 204 }));
      // A dry run prints the request, re-signed here, and sends nothing.
      const dry = await site.cli(...['replay', '1', '--to', sink.url, '--mode', 'resign', '--dialect', 'github', '--secret', 'k', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`Would send to ${sink.url}, signed as github (not sent):`);
      expect(dry.stdout).toContain(`X-Hub-Signature-256: sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
      expect(sink.received).toHaveLength(0);
      const replay = await site.cli(...['replay', '1', '--to', sink.url, '--json']);
      expect(replay.code).toBe(0);
      expect(JSON.parse(replay.stdout)).toMatchObject({ status: 204, mode: 'exact', source: 'delivery:1' });
      expect(sink.received[0]!.body.equals(body)).toBe(true);
      expect(sink.received[0]!.header('x-hub-signature-256')).toBe('sha256=abc');

      expect((await site.cli(...['fixture', 'save', '1', '--name', 'zen'])).code).toBe(0);
      const fired = await site.cli(...['fixture', 'fire', '1', '--to', sink.url, '--json']);
      expect(JSON.parse(fired.stdout)).toMatchObject({ status: 204, source: 'fixture:1' });
    });

    it('replays into a package from the CLI: the release is ingested before the command returns', async () => {
      const site = await startSite(kind);
      const dir = tempDataDir();
      const pkg = JSON.parse((await site.cli(...['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42', '--json'])).stdout) as { id: string };
      const record = {
        kind: 'delivery',
        receivedAt: 1_700_000_000_000,
        headers: [
          ['Content-Type', 'application/json'],
          ['X-GitHub-Event', 'push'],
        ],
        bodyBase64: Buffer.from('{}').toString('base64'),
      };
      const bundle = join(dir, 'in.bundle');
      writeFileSync(bundle, `${JSON.stringify({ format: 'hookbench-bundle', version: 1 })}\n${JSON.stringify(record)}\n`);
      expect((await site.cli(...['import', bundle])).code).toBe(0);
      const tagPush = join(dir, 'tag.json');
      writeFileSync(tagPush, JSON.stringify(githubTagPush(42, 'v3.0.0')));

      const replay = await site.cli(...['replay', '1', '--package', pkg.id, '--mode', 'edit', '--body-file', tagPush, '--new-id', '--json']);
      expect(replay.code).toBe(0);
      expect(JSON.parse(replay.stdout)).toMatchObject({ status: 202 });
      const releases = (JSON.parse((await site.cli(...['release', 'list', '--package', pkg.id, '--json'])).stdout) as { items: { tag: string; status: string }[] }).items;
      expect(releases).toEqual([expect.objectContaining({ tag: 'v3.0.0', status: 'published' })]);
      const pending = (JSON.parse((await site.cli(...['delivery', 'list', '--outcome', 'pending', '--json'])).stdout) as { items: unknown[] }).items;
      expect(pending).toEqual([]);
    });
  });
});

describe('hookbench CLI on a data dir: refusals', () => {
  it('refuses what it cannot do as asked, instead of doing something else', async () => {
    const dir = tempDataDir();
    const record = { kind: 'delivery', receivedAt: 1_700_000_000_000, headers: [['Content-Type', 'application/json']], bodyBase64: Buffer.from('{}').toString('base64') };
    const bundle = join(dir, 'in.bundle');
    writeFileSync(bundle, `${JSON.stringify({ format: 'hookbench-bundle', version: 1 })}\n${JSON.stringify(record)}\n`);
    expect((await runCli(['import', bundle, '--data-dir', dir])).code).toBe(0);
    expect((await runCli(['fixture', 'save', '1', '--name', 'empty', '--data-dir', dir])).code).toBe(0);
    const sink = await startSink(() => ({ status: 204 }));
    const refused = async (args: string[], says: string) => {
      const res = await runCli([...args, '--data-dir', dir]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(says);
    };
    await refused(['replay', 'abc'], 'Replay takes a delivery id, attempt:ID or fixture:ID');
    await refused(['replay', '1', '--to', 'not a url'], '--to takes an http(s) URL');
    await refused(['replay', '1', '--to', sink.url, '--package', 'pkg_x'], 'one target');
    await refused(['fixture', 'fire', '1', '--endpoint', 'ep_x', '--dry-run'], '--dry-run previews');
    await refused(['export', '--format', 'json', '--ids', '99', '--out', join(dir, 'none.bundle')], 'Nothing to export');
    expect(existsSync(join(dir, 'none.bundle'))).toBe(false);
    await refused(['import', dir], 'is not a file');

    const dry = await runCli(['fixture', 'fire', '1', '--to', sink.url, '--dry-run', '--data-dir', dir]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Would send to ${sink.url}`);
    expect(sink.received).toHaveLength(0);
  });

  it('refuses a malformed HAR naming the line, and imports nothing', async () => {
    const dir = tempDataDir();
    const har = join(dir, 'bad.har');
    writeFileSync(har, '{\n  "log": {\n    "entries": [,]\n  }\n}\n');
    const res = await runCli(['import', har, '--data-dir', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/line 3, column 17/);
    expect(JSON.parse((await runCli(['delivery', 'list', '--data-dir', dir, '--json'])).stdout)).toEqual({ items: [], nextCursor: null });
  });
});
