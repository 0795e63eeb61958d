import { describe, expect, it } from 'vitest';
import type { DeliveryDetail, ReplayPreview, ReplayView } from '../../src/shared/types';
import { addPackage } from '../helpers/engine';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';

type Entry = { key: string; event: string; dialect: string; description: string };

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('library fixtures', () => {
    it('ingest when fired at any package: the sample takes that package repository id', async () => {
      const { engine } = await startSite(kind);
      const library = (await engine.invoke('fixtures.library', {})) as Entry[];
      const tagPush = library.find((e) => e.dialect === 'github' && e.event === 'push' && /refs\/tags\/simple-tag(?! \(deleted)/.test(e.description))!;
      expect(tagPush).toBeDefined();
      const fixture = (await engine.invoke('fixtures.save', { libraryKey: tagPush.key })) as { id: number; bodyBase64: string };
      for (const repoId of [42, 987654321]) {
        const pkg = await addPackage(engine, 'github', repoId, `octo/repo-${repoId}`);
        const preview = (await engine.invoke('replay.preview', { ref: `fixture:${fixture.id}`, packageId: pkg.id, mode: 'resign' })) as ReplayPreview;
        expect(JSON.parse(Buffer.from(preview.bodyBase64, 'base64').toString()).repository.id).toBe(repoId);
        const fired = (await engine.invoke('fixtures.fire', { id: fixture.id, packageId: pkg.id })) as { replay: ReplayView };
        expect(fired.replay.status).toBe(202);
        const delivery = await waitUntil(
          async () => (await engine.invoke('deliveries.get', { id: fired.replay.deliveryId! })) as DeliveryDetail,
          (d) => d.outcome !== 'pending',
        );
        // Taken in by the package (not refused as another repository's); "simple-tag" is no version, so no release comes of it.
        expect(delivery).toMatchObject({ verdict: 'valid', statusCode: 202, tag: 'simple-tag' });
        expect(delivery.outcome, delivery.outcomeReason ?? '').toBe('skipped');
        expect(delivery.outcomeReason).not.toMatch(/repository id/);
      }
      // The saved fixture itself is left as the library gave it.
      const saved = (await engine.invoke('fixtures.get', { id: fixture.id })) as { bodyBase64: string };
      expect(saved.bodyBase64).toBe(fixture.bodyBase64);
    });

    it('gives every entry a description of its own', async () => {
      const { engine } = await startSite(kind);
      const library = (await engine.invoke('fixtures.library', {})) as Entry[];
      const descriptions = library.map((e) => e.description);
      expect(new Set(descriptions).size).toBe(descriptions.length);
      const deletedTags = descriptions.filter((d) => d.includes('refs/tags/simple-tag (deleted)'));
      expect(deletedTags).toHaveLength(4);
    });
  });
});
