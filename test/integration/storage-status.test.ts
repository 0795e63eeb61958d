import { statfsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { volumeOf } from '../../src/main/engine/storage/status';
import type { StorageStatus } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli } from '../helpers/serve-process';
import { servePackage } from '../helpers/served-package';
import { waitUntil } from '../helpers/wait-until';

describe('hookbench status', () => {
  it('reports sizes, counts by kind, the oldest delivery, free space and the last backup of a running server', async () => {
    const { dir, pkg, hookUrl } = await servePackage(['--no-ui'], 31);
    const bodies: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify(githubTagPush(31, `v1.${i}.0`));
      bodies.push(body);
      expect((await fetch(hookUrl, { method: 'POST', body, headers: await githubHeaders('push', body, pkg.secret) })).status).toBe(202);
    }
    const forged = JSON.stringify(githubTagPush(31, 'v6.6.6'));
    bodies.push(forged);
    expect((await fetch(hookUrl, { method: 'POST', body: forged, headers: await githubHeaders('push', forged, 'not-the-secret') })).status).toBe(403);

    const status = async () => {
      const run = await runCli(['status', '--json', '--data-dir', dir]);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as StorageStatus;
    };
    const first = await waitUntil(status, (s) => s.counts.releases === 3);
    expect(first.counts.deliveries).toEqual({ ingested: 3, rejected: 1 });
    expect(first.counts.deliveriesTotal).toBe(4);
    expect(first.bodyBytes.deliveries).toBe(bodies.reduce((n, b) => n + Buffer.byteLength(b), 0));
    expect(first.files.databaseBytes).toBeGreaterThan(0);
    expect(first.oldest.delivery).toBeGreaterThanOrEqual(started - 1000);
    expect(first.counts.activity).toBeGreaterThan(0);
    const fs = statfsSync(dir);
    expect(first.volume!.totalBytes).toBe(fs.blocks * fs.bsize);
    expect(first.lastBackup).toBeNull();

    const human = await runCli(['status', '--data-dir', dir]);
    expect(human.stdout).toMatch(/Deliveries 4 \(ingested 3, rejected 1\)/);
    expect(human.stdout).toContain('Backup     none recorded');

    const out = `${tempDataDir()}/copy.sqlite`;
    expect((await runCli(['backup', '--out', out, '--data-dir', dir])).code).toBe(0);
    const after = await status();
    expect(after.lastBackup).toMatchObject({ file: out, deliveries: 4 });
  });

  it('warns when the volume is nearly full', () => {
    const dir = tempDataDir();
    expect(volumeOf(dir, 0, 0)!.warning).toBeNull();
    const full = volumeOf(dir, Number.MAX_SAFE_INTEGER)!;
    expect(full.warning).toContain(`free of`);
    expect(full.warning).toContain(`on the volume holding ${dir}`);
  });
});
