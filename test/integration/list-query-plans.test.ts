import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createEngine } from '../../src/main/engine';
import type { MethodName } from '../../src/shared/contract';
import type { Page } from '../../src/shared/paging';
import type { EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { seedActivity, seedAttempts, seedDeliveries, seedReleases } from '../helpers/seed-rows';

describe('paged lists read through indexes', () => {
  it('every page and total of every list is an index search: no table scanned, no OFFSET', async () => {
    const dataDir = tempDataDir();
    const engine = createEngine({ dataDir });
    onTestFinished(() => engine.close());
    const call = (method: MethodName, params: object) => engine.invoke(method, params);
    const pkg = (await call('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7' })) as PackageCreated;
    const inbox = (await call('inboxes.add', { name: 'in', dialect: 'none' })) as InboxCreated;
    const endpoint = (await call('endpoints.add', { name: 'e', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] })) as EndpointSecret;
    seedDeliveries(dataDir, inbox.id, 300, (i) => ({ event: i % 2 ? 'a' : 'b', verdict: 'valid' }));
    seedDeliveries(dataDir, pkg.hookUrl.split('/').at(-1)!, 120, () => ({ packageId: pkg.id }));
    seedActivity(dataDir, 300, pkg.id);
    seedAttempts(dataDir, endpoint.id, 300);
    seedReleases(dataDir, pkg.id, 300);

    const calls: [MethodName, object][] = [
      ['deliveries.page', {}],
      ['deliveries.page', { packageId: pkg.id }],
      ['deliveries.page', { outcome: 'captured' }],
      ['activity.page', {}],
      ['activity.page', { packageId: pkg.id }],
      ['releases.page', { packageId: pkg.id }],
      ['endpoints.attemptsPage', { id: endpoint.id }],
      ['endpoints.messagesPage', { id: endpoint.id }],
      ['inboxes.capturesPage', { id: inbox.id }],
      ['inboxes.capturesPage', { id: inbox.id, event: 'a', verdict: 'valid' }],
    ];
    const prepare = vi.spyOn(engine.db.$client, 'prepare');
    for (const [method, params] of calls) {
      prepare.mockClear();
      const first = (await call(method, { ...params, limit: 50, total: method !== 'deliveries.page' || 'packageId' in params })) as Page<unknown>;
      expect(first.nextCursor, method).not.toBeNull();
      await call(method, { ...params, limit: 50, cursor: first.nextCursor });
      const statements = prepare.mock.calls.map(([sql]) => sql).filter((sql) => /\b(deliveries|activity|attempts|messages|releases|list_totals)\b/.test(sql));
      expect(statements.length, method).toBeGreaterThan(0);
      for (const sql of statements) {
        expect(sql, method).not.toMatch(/\boffset\b/i);
        const plan = explain(engine, sql);
        const scans = plan.filter((step) => /^SCAN /.test(step) && !/^SCAN CONSTANT ROW/.test(step));
        expect(scans, `${method}: ${sql}\n${plan.join('\n')}`).toEqual([]);
      }
    }
    prepare.mockRestore();
  });
});

/** The plan's steps, with every parameter bound to null (plans do not depend on values here). */
function explain(engine: ReturnType<typeof createEngine>, sql: string): string[] {
  const statement = engine.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (statement.all(...params) as { detail: string }[]).map((r) => r.detail);
}
