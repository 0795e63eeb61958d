import { describe, expect, it } from 'vitest';
import type { WindowStart } from '../../src/shared/first-screen';
import type { InboxCreated } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { seedDeliveryRows } from '../helpers/store-seed';

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe("the window's first screen in one call", () => {
    it('answers the view asked for with its first page, its count when it costs no more than a page, and every list the screens show', async () => {
      const { engine, sql } = await startSite(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'in', dialect: 'none' })) as InboxCreated;
      const at = Date.now() - 500;
      const ids = await seedDeliveryRows(
        sql,
        Array.from({ length: 500 }, (_, i) => ({
          hookId: inbox.id,
          packageId: null,
          receivedAt: at + i,
          source: 'import' as const,
          headers: [],
          body: Buffer.from('{}'),
          event: i % 5 === 0 ? 'release' : 'push',
          verdict: 'unchecked' as const,
          statusCode: 200,
          outcome: 'captured' as const,
          outcomeReason: null,
          tag: null,
          providerDeliveryId: `seed-${i}`,
          method: 'POST',
          path: '/',
          contentType: null,
        })),
      );

      const whole = (await engine.invoke('window.start', {})) as WindowStart;
      expect(whole.view).toEqual({});
      expect(whole.deliveries).toHaveLength(200);
      expect(whole.deliveries[0]!.id).toBe(ids[499]);
      // The whole list's count is a kept total: it comes with the rows.
      expect(whole.deliveryCount).toBe(500);
      expect(whole.inboxes?.map((i) => i.id)).toEqual([inbox.id]);
      expect(whole.packages).toEqual([]);
      expect(whole.endpoints).toEqual([]);
      expect(whole.dialects?.length).toBeGreaterThan(5);
      expect(whole.connections).toEqual([]);
      expect(whole.activity?.total).toBe(whole.activity?.items.length);

      // A count that reads rows is never waited for: the window asks for it aside.
      const release = (await engine.invoke('window.start', { deliveries: { event: 'release', limit: 50 } })) as WindowStart;
      expect(release.view).toEqual({ event: 'release' });
      expect(release.deliveries).toHaveLength(50);
      expect(release.deliveries.every((d) => d.event === 'release')).toBe(true);
      expect(release.deliveryCount).toBeNull();
      // A view shorter than its page is counted by the page itself.
      const few = (await engine.invoke('window.start', { deliveries: { event: 'release', limit: 200 } })) as WindowStart;
      expect(few.deliveryCount).toBe(100);
    });
  });
});
