import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { createIngestWorker } from '../../src/main/engine/ingest/worker';
import { HeaderList } from '../../src/main/engine/receiver/headers';
import type { DeliverySummary, PackageCreated, Release } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type Site } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { seedDeliveryRows } from '../helpers/store-seed';
import { waitUntil } from '../helpers/wait-until';

const startSite = engineSites();

/** A tag push delivered to this site's receiver, ingested before it returns (by whichever process claims it). */
async function push(site: Site, pkg: PackageCreated, tag: string): Promise<void> {
  const body = JSON.stringify(githubTagPush(42, tag));
  const res = await post(`${site.receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, pkg.secret));
  expect(res.status).toBe(202);
  await site.engine.ingest.idle();
}

// A data dir's group commit: rows written to the file before their commit reached the disk.
describe('ingest on a data dir', () => {
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
});

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('ingest', () => {
    it('sees releases another process (instance) published on the same store before checking a version', async () => {
      const serve = await startSite(kind);
      const cli = await startSite(kind, { at: serve.place });
      const pkg = await addPackage(serve.engine, 'github', 42);
      await push(serve, pkg, 'v1.0.0');
      await push(cli, pkg, '2.0.0');
      await push(serve, pkg, 'v2.0.0');
      const status = new Map(((await serve.engine.invoke('releases.list', { packageId: pkg.id })) as Release[]).map((r) => [r.tag, r.status]));
      expect(status.get('2.0.0')).toBe('published');
      expect(status.get('v2.0.0')).toBe('checks_failed');
    });

    it('ingests, in a running engine, what another process stored and left pending', async () => {
      const serve = await startSite(kind);
      const pkg = await addPackage(serve.engine, 'github', 42);
      // Another process stored a tag push and exited before ingesting it (killed, say).
      const body = JSON.stringify(githubTagPush(42, 'v4.0.0'));
      const headers = Object.entries(await githubHeaders('push', body, pkg.secret));
      await seedDeliveryRows(serve.sql, [
        {
          hookId: pkg.hookUrl.split('/hooks/')[1]!,
          packageId: pkg.id,
          receivedAt: Date.now(),
          source: 'replay',
          headers,
          body: Buffer.from(body),
          event: 'push',
          verdict: 'valid',
          statusCode: 202,
          outcome: 'pending',
          outcomeReason: null,
          tag: null,
          providerDeliveryId: headers.find(([k]) => k === 'x-github-delivery')![1],
          method: 'POST',
          path: null,
          contentType: 'application/json',
        },
      ]);

      const releases = () => serve.engine.invoke('releases.list', { packageId: pkg.id }) as Promise<Release[]>;
      const found = await waitUntil(releases, (list) => list.length > 0);
      expect(found).toEqual([expect.objectContaining({ tag: 'v4.0.0', status: 'published' })]);
    });
  });
});
