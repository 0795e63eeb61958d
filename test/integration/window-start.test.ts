import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import type { WindowStart } from '../../src/shared/first-screen';
import type { InboxCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { seedDeliveries } from '../helpers/seed-rows';

describe("the window's first screen in one call", () => {
  it('answers the view asked for with its first page, its count when it costs no more than a page, and every list the screens show', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const inbox = (await engine.invoke('inboxes.add', { name: 'in', dialect: 'none' })) as InboxCreated;
    seedDeliveries(dataDir, inbox.id, 500, (i) => ({ event: i % 5 === 0 ? 'release' : 'push' }));

    const whole = (await engine.invoke('window.start', {})) as WindowStart;
    expect(whole.view).toEqual({});
    expect(whole.deliveries).toHaveLength(200);
    expect(whole.deliveries[0]!.id).toBe(500);
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
