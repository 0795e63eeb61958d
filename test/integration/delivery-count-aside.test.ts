import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import type { DeliverySummary, InboxCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { seedDeliveries } from '../helpers/seed-rows';

describe('counting a filtered view of the deliveries', () => {
  it('never holds back a page asked for while it runs, and stays exact', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const inbox = (await engine.invoke('inboxes.add', { name: 'in', dialect: 'none' })) as InboxCreated;
    seedDeliveries(dataDir, inbox.id, 5000, (i) => ({ event: i % 5 === 0 ? 'release' : 'push' }));

    const answered: string[] = [];
    // The view being left (its count still running) and the page of the next one, asked at once as the list does.
    const counted = engine.invoke('deliveries.count', { event: 'release' }).then((r) => (answered.push('count'), r));
    const paged = engine.invoke('deliveries.list', { since: 0, limit: 200 }).then((r) => (answered.push('page'), r as DeliverySummary[]));
    const [count, page] = await Promise.all([counted, paged]);

    expect(answered).toEqual(['page', 'count']);
    expect(page).toHaveLength(200);
    expect(count).toEqual({ count: 1000 });
    // The cheap counts answer in line, exactly: the kept total and a time range's index range.
    expect(await engine.invoke('deliveries.count', {})).toEqual({ count: 5000 });
    expect(await engine.invoke('deliveries.count', { since: 0 })).toEqual({ count: 5000 });
    expect(await engine.invoke('deliveries.count', { event: 'push', verdict: 'unchecked' })).toEqual({ count: 4000 });
  });
});
