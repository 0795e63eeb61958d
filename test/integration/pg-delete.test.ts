import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgDeliveryDeleteHandlers } from '../../src/main/engine/control/pg/delivery-delete-handlers';
import { pgDeliveryHandlers } from '../../src/main/engine/control/pg/delivery-handlers';
import { pgFixtureHandlers } from '../../src/main/engine/control/pg/fixture-handlers';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import type { DeliveryOutcome } from '../../src/shared/types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { seedDeliveryRows, type SeededDelivery } from '../helpers/store-seed';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgDeliveryDeleteHandlers, pgDeliveryHandlers, pgFixtureHandlers, pgPackageHandlers]);

const T0 = 1_764_000_000_000;

const row = (n: number, packageId: string, outcome: DeliveryOutcome, extra: Partial<SeededDelivery> = {}): SeededDelivery => ({
  hookId: `hk_${packageId}`,
  packageId,
  receivedAt: T0 + n * 1000,
  source: 'direct',
  headers: [['Content-Type', 'application/json']],
  body: Buffer.from(`{"n":${n}}`),
  event: 'push',
  verdict: outcome === 'rejected' ? 'invalid' : 'valid',
  statusCode: outcome === 'rejected' ? 403 : 202,
  outcome,
  outcomeReason: null,
  tag: null,
  providerDeliveryId: `d-${packageId}-${n}`,
  method: null,
  path: null,
  contentType: 'application/json',
  ...extra,
});

const remaining = async (api: HandlerStore) => (await api.query<{ id: number | string }>('SELECT id FROM deliveries ORDER BY id')).map((r) => Number(r.id));
const packagesEvents = (api: HandlerStore, from: number) => api.events.slice(from).filter((e) => e.type === 'packages').length;

/** Four deliveries: one a release records, one a fixture was saved from, one marked keep, one plain. */
async function seedLinked(api: HandlerStore) {
  const pkg = await api.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '42' });
  const [released, saved, kept, plain] = await seedDeliveryRows(api.query, [
    row(1, pkg.id, 'ingested', { tag: 'v1.0.0' }),
    row(2, pkg.id, 'rejected'),
    row(3, pkg.id, 'ingested', { tag: 'v1.1.0' }),
    row(4, pkg.id, 'ignored'),
  ]);
  await api.query(`INSERT INTO releases (package_id, tag, version, prerelease, status, delivery_id, created_at, updated_at) VALUES ($1, 'v1.0.0', '1.0.0', $2, 'published', $3, $4, $4)`, [
    pkg.id,
    false,
    released,
    T0,
  ]);
  await api.invoke('fixtures.save', { ref: String(saved), name: 'forged one' });
  await api.invoke('deliveries.keep', { id: kept!, keep: true });
  return { pkg, released: released!, saved: saved!, kept: kept!, plain: plain! };
}

describe.each(HANDLER_STORES)('deleting deliveries on the %s store', (kind) => {
  it('by ids: keeps what a release or fixture links to unless told, says which, and deletes a row marked keep when named', async () => {
    const api = await open(kind);
    const { pkg, released, saved, kept, plain } = await seedLinked(api);
    const ids = [released, saved, kept, plain];
    const before = api.events.length;

    const dry = await api.invoke('deliveries.delete', { ids, dryRun: true });
    expect(dry).toEqual({ dryRun: true, matched: 4, deleted: 2, keptForRelease: [released], keptForFixture: [saved], keptCount: 2, linkedDeleted: 0 });
    expect(await remaining(api)).toEqual(ids);
    expect(packagesEvents(api, before)).toBe(0);

    expect(await api.invoke('deliveries.delete', { ids })).toEqual({ ...dry, dryRun: false });
    expect(await remaining(api)).toEqual([released, saved]);
    expect(packagesEvents(api, before)).toBe(1);

    // Nothing left to delete: the same answer with nothing deleted, and no event.
    expect(await api.invoke('deliveries.delete', { ids: [kept, 424242] })).toEqual({ dryRun: false, matched: 0, deleted: 0, keptForRelease: [], keptForFixture: [], keptCount: 0, linkedDeleted: 0 });
    expect(packagesEvents(api, before)).toBe(1);

    const forced = await api.invoke('deliveries.delete', { ids: [released, saved], includeLinked: true });
    expect(forced).toEqual({ dryRun: false, matched: 2, deleted: 2, keptForRelease: [], keptForFixture: [], keptCount: 0, linkedDeleted: 2 });
    expect(await remaining(api)).toEqual([]);
    // The release keeps everything but the link; the fixture is its own copy.
    const [release] = await api.query<{ tag: string; delivery_id: number | null }>('SELECT tag, delivery_id FROM releases WHERE package_id = $1', [pkg.id]);
    expect(release).toEqual({ tag: 'v1.0.0', delivery_id: null });
    expect((await api.invoke('fixtures.list', {})).map((f) => f.name)).toEqual(['forged one']);
  });

  it('by filter, across many batches, oldest first: only what matches goes', async () => {
    const api = await open(kind);
    const rows: SeededDelivery[] = [];
    for (let n = 0; n < 700; n++) rows.push(row(n, n % 7 === 0 ? 'pk_b' : 'pk_a', n % 10 === 0 ? 'ingested' : 'rejected', n === 351 ? { outcomeReason: 'Needle in the reason' } : {}));
    const ids = await seedDeliveryRows(api.query, rows);
    const matching = (pick: (n: number) => boolean) => ids.filter((_, n) => pick(n));

    const searched = await api.invoke('deliveries.delete', { q: 'needle' });
    expect(searched).toMatchObject({ matched: 1, deleted: 1 });
    const inPackage = await api.invoke('deliveries.delete', { packageId: 'pk_b', outcome: 'rejected', dryRun: true });
    expect(inPackage).toMatchObject({ matched: matching((n) => n % 7 === 0 && n % 10 !== 0).length, deleted: matching((n) => n % 7 === 0 && n % 10 !== 0).length });

    const window = await api.invoke('deliveries.delete', { outcome: 'rejected', since: T0 + 100_000, until: T0 + 600_000 });
    const inWindow = matching((n) => n % 10 !== 0 && n >= 100 && n < 600 && n !== 351);
    expect(window).toEqual({ dryRun: false, matched: inWindow.length, deleted: inWindow.length, keptForRelease: [], keptForFixture: [], keptCount: 0, linkedDeleted: 0 });
    expect(await remaining(api)).toEqual(matching((n) => n !== 351 && !inWindow.includes(ids[n]!)));
    expect(await api.invoke('deliveries.count', { outcome: 'rejected' })).toEqual({ count: matching((n) => n % 10 !== 0).length - inWindow.length - 1 });
  });

  it('refuses a call that names no deliveries, deleting nothing', async () => {
    const api = await open(kind);
    await seedDeliveryRows(api.query, [row(1, 'pk_a', 'ingested')]);
    await expect(api.invoke('deliveries.delete', { dryRun: false, includeLinked: true })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'Invalid parameters for deliveries.delete: params: name the deliveries to delete: ids, or a filter (package, outcome, time, …)',
    });
    expect(await remaining(api)).toHaveLength(1);
  });
});
