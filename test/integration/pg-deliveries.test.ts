import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgDeliveryHandlers } from '../../src/main/engine/control/pg/delivery-handlers';
import { createTeamHandlers, type PgHandlerGroup } from '../../src/main/engine/control/pg/team-handlers';
import { createWindowStart } from '../../src/main/engine/control/window-start';
import type { DeliveryFilterValue } from '../../src/shared/first-screen';
import { HIDDEN, SEALED_PREFIX } from '../../src/shared/secret-headers';
import type { DeliveryOutcome, DeliverySource, Verdict } from '../../src/shared/types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { seedActivityRows, seedDeliveryRows, type SeededDelivery } from '../helpers/store-seed';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const T0 = 1_764_000_000_000;
const OUTCOMES: DeliveryOutcome[] = ['ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted', 'captured', 'pending'];
const VERDICTS: Verdict[] = ['valid', 'invalid', 'missing', 'unchecked'];
const SOURCES: DeliverySource[] = ['direct', 'tunnel', 'replay', 'import'];
const EVENTS = ['push', 'release', 'release.published', 'Tag Push Hook', 'ping', null];

/** Bodies of every kind a search meets: plain JSON, UTF-8 beyond ASCII, LIKE's wildcards as text, bytes that are not UTF-8, text after a NUL. */
function bodyOf(i: number): Buffer {
  switch (i % 10) {
    case 0:
      return Buffer.concat([Buffer.from([0xff, 0xfe, 0x80]), Buffer.from(`needle ${i}`), Buffer.from([0]), Buffer.from('Hidden After Nul')]);
    case 1:
      return Buffer.from(`{"notes":"Café Ünïcode release ${i}"}`);
    case 2:
      return Buffer.from(`{"progress":"100% done","name":"a_b"}`);
    case 3:
      return Buffer.from(`{"progress":"1000 done","name":"axb","path":"C:\\\\dir"}`);
    default:
      return Buffer.from(`{"ref":"refs/tags/v1.${i}.0","seq":${i},"Note":"NeedLe in Haystack"}`);
  }
}

/** 300 deliveries to two packages' hooks and an inbox, of every outcome, verdict, source and event, received out of id order. */
function seedRows(): SeededDelivery[] {
  return Array.from({ length: 300 }, (_, i): SeededDelivery => {
    const where = i % 3;
    const gitlab = where === 1;
    const headers: [string, string][] = [
      ['Content-Type', 'application/json'],
      gitlab ? ['X-Gitlab-Event', 'Tag Push Hook'] : ['X-GitHub-Event', 'push'],
      gitlab ? ['X-Gitlab-Token', `glt-SECRET-${i}`] : ['X-Hub-Signature-256', `sha256=${i.toString(16).padStart(8, '0')}`],
    ];
    if (i % 7 === 0) headers.push(['X-Custom-Thing', `${SEALED_PREFIX}c2VhbGVk`]);
    if (i % 11 === 0) headers.push(['Authorization', 'Bearer abc.DEF']);
    return {
      hookId: ['hk_alpha', 'hk_beta', 'ib_gamma'][where]!,
      packageId: where === 2 ? null : ['pk_alpha', 'pk_beta'][where]!,
      receivedAt: T0 + ((i * 7919) % 300) * 1000,
      source: SOURCES[i % 4]!,
      headers,
      body: bodyOf(i),
      bodySize: i === 17 ? 10_000 : undefined,
      event: EVENTS[i % 6]!,
      verdict: VERDICTS[(i >> 1) % 4]!,
      statusCode: i % 5 === 0 ? 401 : 202,
      outcome: OUTCOMES[i % 9]!,
      outcomeReason: i % 4 === 0 ? `Tag V1.${i}.0 Already Published` : null,
      tag: i % 3 === 0 ? `v1.${i}.0` : null,
      providerDeliveryId: `Del-${i}-${(i * 31) % 97}`,
      method: where === 2 ? 'POST' : null,
      path: where === 2 ? `/in?n=${i}` : null,
      contentType: 'application/json',
    };
  });
}

// What the filters mean, said in plain code: the stores must both select exactly this.
const foldAscii = (bytes: Buffer) => Buffer.from(bytes.map((b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)));
const upToNul = (bytes: Buffer) => (bytes.indexOf(0) < 0 ? bytes : bytes.subarray(0, bytes.indexOf(0)));
const contains = (value: string | Buffer | null, text: string) => value !== null && foldAscii(upToNul(Buffer.from(value))).includes(foldAscii(Buffer.from(text)));

/** Text to match is read up to any NUL in it; nothing before one matches everything. */
const typed = (text: string | undefined) => text?.split('\u0000', 1)[0] || undefined;

function matches(row: SeededDelivery, f: DeliveryFilterValue): boolean {
  const [event, q] = [typed(f.event), typed(f.q)];
  if (f.packageId && row.packageId !== f.packageId) return false;
  if (f.hookId && row.hookId !== f.hookId) return false;
  if (f.outcome && row.outcome !== f.outcome) return false;
  if (event && !contains(row.event, event)) return false;
  if (f.verdict && row.verdict !== f.verdict) return false;
  if (f.source && row.source !== f.source) return false;
  if (f.since !== undefined && row.receivedAt < f.since) return false;
  if (f.until !== undefined && row.receivedAt >= f.until) return false;
  if (q) {
    const fields = [row.event, row.tag, row.outcomeReason, row.providerDeliveryId, JSON.stringify(row.headers), row.body];
    if (!fields.some((field) => contains(field, q))) return false;
  }
  return true;
}

const FILTERS: DeliveryFilterValue[] = [
  {},
  { packageId: 'pk_alpha' },
  { hookId: 'ib_gamma' },
  { outcome: 'rejected' },
  { event: 'release' },
  { event: 'RELEASE.pub' },
  { verdict: 'invalid' },
  { source: 'tunnel' },
  { since: T0 + 100_000 },
  { until: T0 + 50_000 },
  { since: T0 + 20_000, until: T0 + 220_000 },
  { q: 'needle' },
  { q: 'NEEDLE 20' },
  { q: 'hidden after nul' },
  { q: 'café' },
  { q: 'CAFé Ünï' },
  { q: 'CAFÉ' },
  { q: '100%' },
  { q: '0%' },
  { q: 'a_b' },
  { q: '\\' },
  { q: 'glt-secret-1' },
  { q: 'del-1' },
  { q: 'already published' },
  { q: 'v1.2' },
  { q: '"' },
  // Text after a NUL (which PostgreSQL text cannot hold) is not part of what is searched for.
  { q: 'NEEDLE\u0000zzz' },
  { event: '\u0000push' },
  { packageId: 'pk_beta', outcome: 'duplicate', q: 'haystack' },
  { hookId: 'ib_gamma', verdict: 'valid', source: 'replay', since: T0 + 30_000 },
];

/**
 * window.start over a team server's whole control API, as the server assembles it: here only this
 * group answers, and every other method answers "unavailable".
 */
const windowStartOverTeam: PgHandlerGroup = (ctx) => createWindowStart(createTeamHandlers(ctx, [pgDeliveryHandlers]));

async function seeded(kind: HandlerStoreKind, groups: PgHandlerGroup[] = [pgDeliveryHandlers]): Promise<{ api: HandlerStore; rows: SeededDelivery[]; ids: number[] }> {
  const api = await openHandlerStore(kind, cluster, groups);
  const rows = seedRows();
  const ids = await seedDeliveryRows(api.query, rows);
  return { api, rows, ids };
}

const expectedIds = (rows: SeededDelivery[], ids: number[], filter: DeliveryFilterValue) => rows.flatMap((row, i) => (matches(row, filter) ? [ids[i]!] : [])).sort((a, b) => b - a);

describe.each(HANDLER_STORES)('deliveries and activity on the %s store', (kind) => {
  it('pages through every view once, newest first, with the totals and counts the view selects', async () => {
    const { api, rows, ids } = await seeded(kind);
    expect(new Set(ids).size).toBe(300);
    for (const filter of FILTERS) {
      const expected = expectedIds(rows, ids, filter);
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await api.invoke('deliveries.page', { ...filter, cursor, limit: 37, total: pages === 0 });
        if (pages === 0) expect(page.total, JSON.stringify(filter)).toBe(expected.length);
        else expect(page.total).toBeUndefined();
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(seen, JSON.stringify(filter)).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 37)));
      expect((await api.invoke('deliveries.count', filter)).count, JSON.stringify(filter)).toBe(expected.length);
      // A jump deep into the view reads the rows where it lands.
      const deep = await api.invoke('deliveries.list', { ...filter, offset: 20, limit: 15 });
      expect(deep.map((d) => d.id)).toEqual(expected.slice(20, 35));
      const below = await api.invoke('deliveries.list', { ...filter, beforeId: expected[5] ?? 1, limit: 4 });
      expect(below.map((d) => d.id)).toEqual(expected.slice(6, 10));
    }
    // Searches that must find something (the view checks above would pass on empty stores too).
    expect(expectedIds(rows, ids, { q: 'needle' }).length).toBe(210);
    expect(expectedIds(rows, ids, { q: 'NEEDLE\u0000zzz' }).length).toBe(210);
    expect(expectedIds(rows, ids, { event: '\u0000push' }).length).toBe(300);
    expect(expectedIds(rows, ids, { q: 'CAFÉ' })).toEqual([]);
    expect(expectedIds(rows, ids, { q: 'CAFé Ünï' }).length).toBe(30);
    expect(expectedIds(rows, ids, { q: 'hidden after nul' })).toEqual([]);
    expect(expectedIds(rows, ids, { q: 'a_b' }).length).toBe(30);
  });

  it('lists a page of summaries in the shape of the stored rows, and refuses another list’s cursor', async () => {
    const { api, rows, ids } = await seeded(kind);
    const [first] = await api.invoke('deliveries.list', { limit: 1 });
    const row = rows[299]!;
    expect(first).toEqual({
      id: ids[299],
      packageId: row.packageId,
      receivedAt: row.receivedAt,
      source: row.source,
      event: row.event,
      providerDeliveryId: row.providerDeliveryId,
      verdict: row.verdict,
      statusCode: row.statusCode,
      outcome: row.outcome,
      outcomeReason: row.outcomeReason,
      tag: row.tag,
      bodySize: row.body.length,
      method: row.method,
      path: row.path,
      hookId: row.hookId,
    });
    const foreign = Buffer.from('activity:5').toString('base64url');
    await expect(api.invoke('deliveries.page', { cursor: foreign, limit: 5, total: false })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'That cursor belongs to the list of activity, not of deliveries.',
    });
  });

  it('opens a delivery with its credential headers hidden and its body byte for byte, and marks it keep and back', async () => {
    const { api, rows, ids } = await seeded(kind);
    for (const i of [0, 1, 17, 22, 77]) {
      const row = rows[i]!;
      const detail = await api.invoke('deliveries.get', { id: ids[i]! });
      expect(Buffer.from(detail.bodyBase64, 'base64').equals(row.body)).toBe(true);
      expect(detail.bodyTruncated).toBe(i === 17);
      expect(detail.bodySize).toBe(i === 17 ? 10_000 : row.body.length);
      expect(detail.headers).toEqual(row.headers.map(([name, value]) => [name, /token|authorization/i.test(name) || value.startsWith(SEALED_PREFIX) ? HIDDEN : value]));
      expect(detail).toMatchObject({ id: ids[i], hookId: row.hookId, contentType: 'application/json', keptAt: null, verdictDetail: null, duplicateOf: null });
    }
    const gitlab = await api.invoke('deliveries.get', { id: ids[1]! });
    expect(gitlab.headers).toContainEqual(['X-Gitlab-Token', HIDDEN]);
    expect(JSON.stringify(gitlab)).not.toContain('glt-SECRET');

    const kept = await api.invoke('deliveries.keep', { id: ids[5]!, keep: true });
    expect(kept).toEqual({ id: ids[5], kept: true, keptAt: expect.any(Number) });
    expect((await api.invoke('deliveries.get', { id: ids[5]! })).keptAt).toBe(kept.keptAt);
    expect(await api.invoke('deliveries.keep', { id: ids[5]!, keep: false })).toEqual({ id: ids[5], kept: false, keptAt: null });
    expect((await api.invoke('deliveries.get', { id: ids[5]! })).keptAt).toBeNull();

    const missing = { code: 'not_found', message: 'No delivery with id 999999.' };
    await expect(api.invoke('deliveries.get', { id: 999_999 })).rejects.toMatchObject(missing);
    await expect(api.invoke('deliveries.keep', { id: 999_999, keep: true })).rejects.toMatchObject(missing);
  });

  it('pages through the activity feed, the whole of it and one package’s', async () => {
    const { api } = await seeded(kind);
    await seedActivityRows(
      api.query,
      Array.from({ length: 130 }, (_, i) => ({
        at: T0 + i,
        kind: i % 2 ? 'ingested' : 'rejected',
        message: `Entry ${i}`,
        packageId: i % 3 === 0 ? 'pk_alpha' : null,
        packageName: i % 3 === 0 ? 'alpha' : null,
      })),
    );
    const stored = await api.query<{ id: number; package_id: string | null }>('SELECT id, package_id FROM activity ORDER BY id DESC');
    for (const packageId of [undefined, 'pk_alpha', 'pk_nobody']) {
      const expected = stored.filter((r) => packageId === undefined || r.package_id === packageId).map((r) => Number(r.id));
      const seen: number[] = [];
      let cursor: string | undefined;
      let first = true;
      do {
        const page = await api.invoke('activity.page', { packageId, cursor, limit: 25, total: first });
        if (first) expect(page.total).toBe(expected.length);
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor ?? undefined;
        first = false;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect((await api.invoke('activity.list', { packageId, limit: 10 })).map((a) => a.id)).toEqual(expected.slice(0, 10));
    }
    const [newest] = await api.invoke('activity.list', { limit: 1 });
    expect(newest).toEqual({ id: stored[0]!.id, at: T0 + 129, kind: 'ingested', message: 'Entry 129', packageId: 'pk_alpha', packageName: 'alpha', deliveryId: null, releaseId: null });
  });

  it.each([
    ['this group', [pgDeliveryHandlers]],
    ['the whole server', [pgDeliveryHandlers, windowStartOverTeam]],
  ])('answers the first screen from the handlers of %s: rows, in-line counts, dialects and the feed', async (_, groups) => {
    const { api, rows, ids } = await seeded(kind, groups);
    const start = await api.invoke('window.start', {});
    expect(start.view).toEqual({});
    expect(start.deliveries).toEqual(await api.invoke('deliveries.list', { limit: 200 }));
    expect(start.deliveryCount).toBe(300);
    expect(start.dialects).toEqual(await api.invoke('dialects.list', {}));
    expect(start.dialects!.map((d) => d.name)).toContain('github');
    expect(start.activity).toEqual(await api.invoke('activity.page', { limit: 100, total: true }));
    // Lists another group answers: the desktop engine reads them; on the team server's database
    // here only this group answers, and a list not answered (or answered "unavailable") comes
    // back null, for the window to ask for on its own.
    for (const list of [start.packages, start.inboxes, start.endpoints, start.connections]) expect(list).toEqual(kind === 'sqlite' ? [] : null);

    const ranged = await api.invoke('window.start', { deliveries: { since: T0 + 100_000, limit: 50 } });
    expect(ranged.deliveries.map((d) => d.id)).toEqual(expectedIds(rows, ids, { since: T0 + 100_000 }).slice(0, 50));
    expect(ranged.deliveryCount).toBe(200);
    // A count that reads rows is asked for aside; a view shorter than its page is counted by the page.
    expect((await api.invoke('window.start', { deliveries: { event: 'release', limit: 50 } })).deliveryCount).toBeNull();
    expect((await api.invoke('window.start', { deliveries: { event: 'release', limit: 200 } })).deliveryCount).toBe(expectedIds(rows, ids, { event: 'release' }).length);
  });
});
