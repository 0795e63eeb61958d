import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { createIngestWorker } from '../../src/main/engine/ingest/worker';
import { HeaderList } from '../../src/main/engine/receiver/headers';
import type { DeliverySummary, PackageCreated, Release } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { waitUntil } from '../helpers/wait-until';

describe('ingest', () => {
  it('leaves deliveries whose commit is not yet on disk for later, then ingests them in order', async () => {
    const engine = createEngine({ dataDir: tempDataDir() });
    // The engine's own ingest stays out of it: this test drives one by hand.
    await engine.ingest.stop();
    const pkg = (await engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '42' })) as PackageCreated;
    const hook = engine.lookupHook(pkg.hookUrl.split('/hooks/')[1]!)!;
    for (const tag of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
      const body = JSON.stringify(githubTagPush(42, tag));
      const headers = new HeaderList(Object.entries(await githubHeaders('push', body, pkg.secret)));
      await engine.receiver.receive({ hookId: hook.hookId, source: 'direct', remoteAddress: null, headers, body: Buffer.from(body) }, hook);
    }
    const outcomes = async () => ((await engine.invoke('deliveries.list', { packageId: pkg.id })) as DeliverySummary[]).map((d) => [d.id, d.outcome]).reverse();

    let unflushedFrom: number | null = 2;
    const worker = createIngestWorker(engine.db, () => undefined, { unflushedFrom: () => unflushedFrom });
    await worker.kick();
    expect(await outcomes()).toEqual([
      [1, 'ingested'],
      [2, 'pending'],
      [3, 'pending'],
    ]);
    unflushedFrom = null;
    await worker.kick();
    expect(await outcomes()).toEqual([
      [1, 'ingested'],
      [2, 'ingested'],
      [3, 'ingested'],
    ]);
    await worker.stop();
    await engine.close();
  });

  it('sees releases another process published on the same data dir before checking a version', async () => {
    const dataDir = tempDataDir();
    const serve = createEngine({ dataDir });
    const cli = createEngine({ dataDir });
    const pkg = (await serve.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '42' })) as PackageCreated;
    const push = async (engine: typeof serve, tag: string) => {
      const hook = engine.lookupHook(pkg.hookUrl.split('/hooks/')[1]!)!;
      const body = JSON.stringify(githubTagPush(42, tag));
      const headers = new HeaderList(Object.entries(await githubHeaders('push', body, pkg.secret)));
      await engine.receiver.receive({ hookId: hook.hookId, source: 'direct', remoteAddress: null, headers, body: Buffer.from(body) }, hook);
      await engine.ingest.idle();
    };
    await push(serve, 'v1.0.0');
    await push(cli, '2.0.0');
    await push(serve, 'v2.0.0');
    const status = new Map(((await serve.invoke('releases.list', { packageId: pkg.id })) as Release[]).map((r) => [r.tag, r.status]));
    expect(status.get('2.0.0')).toBe('published');
    expect(status.get('v2.0.0')).toBe('checks_failed');
    await cli.close();
    await serve.close();
  });

  it('ingests, in a running engine, what another process stored and left pending', async () => {
    const dataDir = tempDataDir();
    const serve = createEngine({ dataDir });
    await serve.startWorkers();
    const pkg = (await serve.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '42' })) as PackageCreated;
    // Another process stores a tag push and exits before ingesting it (killed, say).
    const other = createEngine({ dataDir });
    await other.ingest.stop();
    const hook = other.lookupHook(pkg.hookUrl.split('/hooks/')[1]!)!;
    const body = JSON.stringify(githubTagPush(42, 'v4.0.0'));
    const headers = new HeaderList(Object.entries(await githubHeaders('push', body, pkg.secret)));
    await other.receiver.receive({ hookId: hook.hookId, source: 'replay', remoteAddress: null, headers, body: Buffer.from(body) }, hook);
    await other.close();

    const releases = () => serve.invoke('releases.list', { packageId: pkg.id }) as Promise<Release[]>;
    const found = await waitUntil(releases, (list) => list.length > 0, 5_000);
    expect(found).toEqual([expect.objectContaining({ tag: 'v4.0.0', status: 'published' })]);
    await serve.close();
  });
});
