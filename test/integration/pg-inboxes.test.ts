import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgInboxHandlers } from '../../src/main/engine/control/pg/inbox-handlers';
import { getDialect } from '../../src/main/engine/dialects';
import { inboxLookup } from '../../src/main/engine/inbox/lookup';
import { pgInboxLookup } from '../../src/main/engine/inbox/pg-inbox-lookup';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import type { InboxAnswer } from '../../src/shared/inbox-types';
import type { DeliverySummary, InboxCreated, InboxSummary, Verdict } from '../../src/shared/types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { sharedKeyBox } from '../helpers/engine-sites';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { seedDeliveryRows, type SeededDelivery } from '../helpers/store-seed';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgInboxHandlers]);

const T0 = 1_764_000_000_000;
let seq = 0;

/** A capture of `inboxId` as the receiver stores one; `event` is the sender's event id (what the timeline groups by). */
function capture(
  inboxId: string,
  at: number,
  fields: {
    eventId?: string | null;
    event?: string;
    verdict?: Verdict;
    status?: number;
  } = {},
): SeededDelivery {
  seq++;
  return {
    hookId: inboxId,
    packageId: null,
    receivedAt: at,
    source: 'direct',
    headers: [['Content-Type', 'application/json']],
    body: Buffer.from(`{"n":${seq}}`),
    event: fields.event ?? 'invoice.paid',
    verdict: fields.verdict ?? 'valid',
    statusCode: fields.status ?? 200,
    outcome: 'captured',
    outcomeReason: null,
    tag: null,
    // Null for a capture whose sender gave no id (the seeding helper's read-back by it is not used here).
    providerDeliveryId: (fields.eventId === undefined ? `seed-${seq}` : fields.eventId) as string,
    method: 'POST',
    path: '/',
    contentType: 'application/json',
  };
}

/** Captures stored in the order given; their row ids. */
async function seedCaptures(api: HandlerStore, rows: SeededDelivery[]): Promise<number[]> {
  await seedDeliveryRows(api.query, rows);
  const ids = await api.query<{ id: number }>('SELECT id FROM deliveries ORDER BY id DESC LIMIT $1', [rows.length]);
  return ids.map((row) => Number(row.id)).reverse();
}

/** One arrival as the receiver stores it: a repeat of an event points at the event's first capture. */
async function storeArrival(api: HandlerStore, inboxId: string, at: number, eventId: string | null, status: number, verdict: Verdict): Promise<number> {
  const [first] = eventId === null ? [] : await api.query<{ id: number }>('SELECT id FROM deliveries WHERE hook_id = $1 AND provider_delivery_id = $2 AND duplicate_of IS NULL', [inboxId, eventId]);
  const [row] = await api.query<{ id: number }>(
    `INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, event, verdict, status_code, outcome, provider_delivery_id, duplicate_of, method, path)
     VALUES ($1, $2, 'direct', '[]', $3, 2, 'charge.succeeded', $4, $5, 'captured', $6, $7, 'POST', '/') RETURNING id`,
    [inboxId, at, Buffer.from('{}'), verdict, status, eventId, first?.id ?? null],
  );
  return Number(row!.id);
}

const count = async (api: HandlerStore, sql: string, params: unknown[]) => Number((await api.query<{ n: number | string }>(sql, params))[0]!.n);

/** What the store's receiver would find for the inbox now (a team server's lookup reads the row at once on a miss). */
async function receiverSees(api: HandlerStore, id: string) {
  if ('sqlite' in api.backing) return inboxLookup(api.backing.sqlite)(id);
  const lookup = pgInboxLookup(api.backing.pool, { everyMs: 60_000 });
  try {
    return await lookup.fresh(id);
  } finally {
    lookup.close();
  }
}

describe.each(HANDLER_STORES)('inboxes on the %s store', (kind) => {
  it('adds an inbox with a secret in its dialect form, shown once and sealed at rest; refuses what it cannot use, adding nothing', async () => {
    const api = await open(kind);
    const signed = await api.invoke('inboxes.add', {
      name: 'Billing',
      dialect: 'standard-webhooks',
    });
    expect(signed.id).toMatch(/^in_[A-Za-z0-9_-]{12}$/);
    expect(signed.url).toBe(`${api.receiverUrl}/in/${signed.id}`);
    expect(signed.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const [row] = await api.query<{
      secret_sealed: string;
      created_at: number | string;
    }>('SELECT secret_sealed, created_at FROM inboxes WHERE id = $1', [signed.id]);
    expect(row!.secret_sealed).not.toContain(signed.secret!.slice(6));
    expect(api.box.open(row!.secret_sealed)).toBe(signed.secret);

    const given = await api.invoke('inboxes.add', {
      name: 'Chat',
      dialect: 'slack',
      secret: 'slack-signing-secret',
      toleranceSeconds: 600,
    });
    expect(given.secret).toBe('slack-signing-secret');
    const unsigned = await api.invoke('inboxes.add', {
      name: 'Anything',
      dialect: 'none',
    });
    expect(unsigned.secret).toBeNull();
    expect(await receiverSees(api, given.id)).toMatchObject({
      id: given.id,
      name: 'Chat',
      dialect: 'slack',
      toleranceSeconds: 600,
    });

    await expect(api.invoke('inboxes.add', { name: 'x', dialect: 'carrier-pigeon' })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/^Unknown dialect "carrier-pigeon"; use one of none, /),
    });
    await expect(api.invoke('inboxes.add', { name: 'x', dialect: 'none', secret: 'abc' })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'An inbox of dialect "none" checks no signature, so it takes no secret.',
    });
    await expect(
      api.invoke('inboxes.add', {
        name: 'x',
        dialect: 'standard-webhooks',
        secret: 'whsec_short',
      }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/^Not a .* secret: /),
    });
    expect(await count(api, 'SELECT count(*) AS n FROM inboxes', [])).toBe(3);
    expect(api.events).toEqual([]);
  });

  it('lists inboxes oldest first and gets one, each with its captures, latest capture, answer, forwards and rotation', async () => {
    const api = await open(kind);
    const rows = [
      ['in_third', 'Third', 'none', null, T0 + 3000],
      ['in_first', 'First', 'github', 'sealed-a', T0 + 1000],
      ['in_second', 'Second', 'stripe', 'sealed-b', T0 + 2000],
    ];
    for (const r of rows) await api.query('INSERT INTO inboxes (id, name, dialect, secret_sealed, created_at) VALUES ($1, $2, $3, $4, $5)', r);
    await seedCaptures(api, [capture('in_first', T0 + 5000), capture('in_first', T0 + 9000), capture('in_first', T0 + 7000), capture('in_second', T0 + 4000)]);
    await api.query(
      'INSERT INTO inbox_forward_targets (inbox_id, url, events, path_rewrite, pass_back, retry_seconds, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7), ($1, $8, $9, $10, $11, $6, $12)',
      ['in_second', 'http://localhost:4000/b', '["charge.succeeded"]', '/stripe=>/api', true, '[1,5]', T0 + 20, 'http://localhost:4000/a', '[]', null, false, T0 + 10],
    );
    const until = Date.now() + 3_600_000;
    await api.query('UPDATE inboxes SET previous_secret_sealed = $1, previous_secret_expires_at = $2, answer = $3 WHERE id = $4', ['sealed-old', until, '{"status":503,"failFirst":2}', 'in_first']);
    // A replaced secret whose overlap has ended is not shown as still accepted.
    await api.query('UPDATE inboxes SET previous_secret_sealed = $1, previous_secret_expires_at = $2 WHERE id = $3', ['sealed-older', T0, 'in_second']);

    const list = await api.invoke('inboxes.list', {});
    expect(list.map((inbox) => inbox.id)).toEqual(['in_first', 'in_second', 'in_third']);
    const first: InboxSummary = {
      id: 'in_first',
      name: 'First',
      dialect: 'github',
      toleranceSeconds: null,
      url: `${api.receiverUrl}/in/in_first`,
      createdAt: T0 + 1000,
      captures: 3,
      lastCaptureAt: T0 + 9000,
      answer: {
        status: 503,
        headers: [],
        body: '',
        delayMs: 0,
        failFirst: 2,
        failRatio: null,
        hang: false,
      },
      forwards: [],
      previousSecretUntil: until,
    };
    expect(list[0]).toEqual(first);
    expect(list[1]).toMatchObject({
      captures: 1,
      lastCaptureAt: T0 + 4000,
      previousSecretUntil: null,
    });
    expect(list[1]!.forwards).toEqual([
      {
        url: 'http://localhost:4000/a',
        events: [],
        pathRewrite: null,
        passBack: false,
        retrySeconds: [1, 5],
      },
      {
        url: 'http://localhost:4000/b',
        events: ['charge.succeeded'],
        pathRewrite: '/stripe=>/api',
        passBack: true,
        retrySeconds: [1, 5],
      },
    ]);
    expect(list[2]).toMatchObject({
      captures: 0,
      lastCaptureAt: null,
      answer: { status: 200, failFirst: null },
    });
    expect(await api.invoke('inboxes.get', { id: 'in_first' })).toEqual(first);
    expect(await api.invoke('inboxes.get', { id: 'in_second' })).toEqual(list[1]);
    await expect(api.invoke('inboxes.get', { id: 'in_nope' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No inbox with id in_nope.',
    });
    expect(await (await open(kind)).invoke('inboxes.list', {})).toEqual([]);
  });

  it('renames an inbox and sets or clears its tolerance, changing only what is given', async () => {
    const api = await open(kind);
    const { id } = await api.invoke('inboxes.add', {
      name: 'Old',
      dialect: 'github',
      toleranceSeconds: 300,
    });
    expect(await api.invoke('inboxes.update', { id, name: 'New' })).toMatchObject({
      id,
      name: 'New',
      toleranceSeconds: 300,
      dialect: 'github',
    });
    expect(await api.invoke('inboxes.update', { id, toleranceSeconds: 900 })).toMatchObject({ name: 'New', toleranceSeconds: 900 });
    expect(await api.invoke('inboxes.update', { id, toleranceSeconds: null })).toMatchObject({ name: 'New', toleranceSeconds: null });
    const unchanged = await api.invoke('inboxes.update', { id });
    expect(unchanged).toEqual(await api.invoke('inboxes.get', { id }));
    expect(unchanged).toMatchObject({ name: 'New', toleranceSeconds: null });
    expect(await receiverSees(api, id)).toMatchObject({
      name: 'New',
      toleranceSeconds: null,
    });
    await expect(api.invoke('inboxes.update', { id: 'in_nope', name: 'x' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No inbox with id in_nope.',
    });
    expect(api.events).toEqual([]);
  });

  it('removes an inbox with its captures and forward targets, and says how many captures went; others keep theirs', async () => {
    const api = await open(kind);
    const gone = await api.invoke('inboxes.add', {
      name: 'Gone',
      dialect: 'none',
    });
    const kept = await api.invoke('inboxes.add', {
      name: 'Kept',
      dialect: 'none',
    });
    // More than one slice of captures.
    await seedCaptures(api, [...Array.from({ length: 1203 }, (_, i) => capture(gone.id, T0 + i)), capture(kept.id, T0), capture(kept.id, T0 + 1)]);
    await api.query('INSERT INTO inbox_forward_targets (inbox_id, url, events, pass_back, retry_seconds, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      gone.id,
      'http://localhost:4000/x',
      '[]',
      false,
      '[1]',
      T0,
    ]);

    expect(await api.invoke('inboxes.remove', { id: gone.id })).toEqual({
      removed: true,
      captures: 1203,
    });
    await expect(api.invoke('inboxes.get', { id: gone.id })).rejects.toMatchObject({
      code: 'not_found',
      message: `No inbox with id ${gone.id}.`,
    });
    await expect(api.invoke('inboxes.remove', { id: gone.id })).rejects.toMatchObject({
      code: 'not_found',
      message: `No inbox with id ${gone.id}.`,
    });
    expect(await count(api, 'SELECT count(*) AS n FROM deliveries WHERE hook_id = $1', [gone.id])).toBe(0);
    expect(await count(api, 'SELECT count(*) AS n FROM inbox_forward_targets', [])).toBe(0);
    expect(await api.invoke('inboxes.list', {})).toMatchObject([{ id: kept.id, captures: 2 }]);
    expect(await receiverSees(api, gone.id)).toBeUndefined();
    expect(await api.invoke('inboxes.remove', { id: kept.id })).toEqual({
      removed: true,
      captures: 2,
    });
    expect(api.events).toEqual([]);
  });

  it("lists an inbox's captures newest first, a page below an id at a time, and pages them with filters, cursors and totals", async () => {
    const api = await open(kind);
    const { id } = await api.invoke('inboxes.add', {
      name: 'Shop',
      dialect: 'none',
    });
    const other = await api.invoke('inboxes.add', {
      name: 'Other',
      dialect: 'none',
    });
    const rows = Array.from({ length: 25 }, (_, i) =>
      capture(i % 5 === 0 ? other.id : id, T0 + ((i * 7) % 25) * 1000, {
        event: i % 2 ? 'orders/create' : 'refunds/create',
        verdict: i % 3 ? 'valid' : 'invalid',
      }),
    );
    const ids = await seedCaptures(api, rows);
    const mine = ids.filter((_, i) => i % 5 !== 0).reverse();

    const firstPage = await api.invoke('inboxes.captures', { id, limit: 7 });
    expect(firstPage.map((d) => d.id)).toEqual(mine.slice(0, 7));
    expect(firstPage[0]).toMatchObject({
      hookId: id,
      packageId: null,
      outcome: 'captured',
      method: 'POST',
      path: '/',
    });
    expect(
      (
        await api.invoke('inboxes.captures', {
          id,
          beforeId: mine[6]!,
          limit: 100,
        })
      ).map((d) => d.id),
    ).toEqual(mine.slice(7));
    expect(await api.invoke('inboxes.captures', { id: other.id, limit: 100 })).toHaveLength(5);

    const filtered = ids.filter((_, i) => i % 5 !== 0 && i % 2 === 1 && i % 3 !== 0).reverse();
    const seen: number[] = [];
    const totals: (number | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.invoke('inboxes.capturesPage', {
        id,
        event: 'orders',
        verdict: 'valid',
        limit: 3,
        total: true,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((d) => d.id));
      totals.push(page.total);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(filtered);
    expect(new Set(totals)).toEqual(new Set([filtered.length]));
    const all = await api.invoke('inboxes.capturesPage', {
      id,
      limit: 100,
      total: false,
    });
    expect(all).toEqual({
      items: await api.invoke('inboxes.captures', { id, limit: 100 }),
      nextCursor: null,
    });

    for (const call of [
      () => api.invoke('inboxes.captures', { id: 'in_nope', limit: 5 }),
      () =>
        api.invoke('inboxes.capturesPage', {
          id: 'in_nope',
          limit: 5,
          total: false,
        }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'not_found',
        message: 'No inbox with id in_nope.',
      });
    }
  });

  it('sets, shows and resets what an inbox answers; an answer it could not give is refused and the one set is kept', async () => {
    const api = await open(kind);
    const { id } = await api.invoke('inboxes.add', {
      name: 'Flaky',
      dialect: 'none',
    });
    const answer = await api.invoke('inboxes.respond', {
      id,
      status: 503,
      headers: [['Retry-After', '30']],
      body: 'busy',
      failFirst: 2,
    });
    expect(answer).toEqual({
      status: 503,
      headers: [['Retry-After', '30']],
      body: 'busy',
      delayMs: 0,
      failFirst: 2,
      failRatio: null,
      hang: false,
    });
    expect((await api.invoke('inboxes.get', { id })).answer).toEqual(answer);
    expect((await receiverSees(api, id))!.answer).toEqual(answer);

    await expect(api.invoke('inboxes.respond', { id, headers: [['Content-Length', '3']] })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'The answer cannot set Content-Length: Hookbench writes it for each answer.',
    });
    await expect(api.invoke('inboxes.respond', { id, reset: true, status: 500 })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'reset goes back to 2xx at once: give it alone.',
    });
    expect((await api.invoke('inboxes.get', { id })).answer).toEqual(answer);

    // An inbox that is not there is said first, whatever the answer.
    await expect(
      api.invoke('inboxes.respond', {
        id: 'in_nope',
        headers: [['Content-Length', '3']],
      }),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: 'No inbox with id in_nope.',
    });

    const reset = await api.invoke('inboxes.respond', { id, reset: true });
    expect(reset).toEqual({
      status: 200,
      headers: [],
      body: '',
      delayMs: 0,
      failFirst: null,
      failRatio: null,
      hang: false,
    });
    expect(await api.query('SELECT answer FROM inboxes WHERE id = $1', [id])).toEqual([{ answer: null }]);
    expect(api.events).toEqual([]);
  });

  it('rotates a secret: the new one shown once, the old one kept for the overlap (none with 0); refuses an inbox with no secret', async () => {
    const api = await open(kind);
    const inbox = await api.invoke('inboxes.add', {
      name: 'Svix',
      dialect: 'standard-webhooks',
    });
    const before = Date.now();
    const rotated = await api.invoke('inboxes.rotate', {
      id: inbox.id,
      overlapSeconds: 3600,
    });
    expect(rotated).toMatchObject({ id: inbox.id, url: inbox.url });
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(rotated.secret).not.toBe(inbox.secret);
    const summary = await api.invoke('inboxes.get', { id: inbox.id });
    expect(summary.previousSecretUntil).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(summary.previousSecretUntil).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(JSON.stringify(summary)).not.toContain(rotated.secret!);
    const seen = (await receiverSees(api, inbox.id))!;
    expect(api.box.open(seen.secretSealed!)).toBe(rotated.secret);
    expect(api.box.open(seen.previousSecretSealed!)).toBe(inbox.secret);

    const given = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    expect(
      await api.invoke('inboxes.rotate', {
        id: inbox.id,
        secret: given,
        overlapSeconds: 0,
      }),
    ).toEqual({ id: inbox.id, url: inbox.url, secret: given });
    expect((await api.invoke('inboxes.get', { id: inbox.id })).previousSecretUntil).toBeNull();
    expect(await api.query('SELECT previous_secret_sealed, previous_secret_expires_at FROM inboxes WHERE id = $1', [inbox.id])).toEqual([
      { previous_secret_sealed: null, previous_secret_expires_at: null },
    ]);

    await expect(api.invoke('inboxes.rotate', { id: inbox.id, secret: 'whsec_short' })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/^Not a .* secret: /),
    });
    const none = await api.invoke('inboxes.add', {
      name: 'Open',
      dialect: 'none',
    });
    await expect(api.invoke('inboxes.rotate', { id: none.id })).rejects.toMatchObject({
      code: 'invalid_params',
      message: `Inbox ${none.id} is of dialect "none": it checks no signature, so it has no secret to rotate.`,
    });
    await expect(api.invoke('inboxes.rotate', { id: 'in_nope' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No inbox with id in_nope.',
    });
    expect(api.box.open((await receiverSees(api, inbox.id))!.secretSealed!)).toBe(given);
    expect(api.events).toEqual([]);
  });

  it("shows each event's arrivals with the gap since its first and the status answered: one event, or the latest ones oldest first", async () => {
    const api = await open(kind);
    const { id } = await api.invoke('inboxes.add', {
      name: 'Retries',
      dialect: 'stripe',
    });
    const other = await api.invoke('inboxes.add', {
      name: 'Other',
      dialect: 'stripe',
    });
    const arrivals: [string, number, string | null, number, Verdict][] = [
      [id, 0, 'evt_a', 503, 'valid'],
      [id, 100, 'evt_b', 200, 'valid'],
      [other.id, 150, 'evt_a', 200, 'valid'],
      [id, 5_000, 'evt_a', 503, 'invalid'],
      [id, 6_000, null, 200, 'valid'],
      [id, 7_000, 'evt_c', 200, 'valid'],
      [id, 65_000, 'evt_a', 200, 'valid'],
      [id, 70_000, 'evt_b', 200, 'valid'],
    ];
    const ids: number[] = [];
    for (const [inbox, at, eventId, status, verdict] of arrivals) ids.push(await storeArrival(api, inbox, T0 + at, eventId, status, verdict));
    const arrival = (at: number, first: number, status: number, verdict: string, index: number) => ({
      deliveryId: ids[index]!,
      receivedAt: T0 + at,
      sinceFirstMs: at - first,
      answeredStatus: status,
      verdict,
    });
    const evtA = {
      eventId: 'evt_a',
      arrivals: [arrival(0, 0, 503, 'valid', 0), arrival(5_000, 0, 503, 'invalid', 3), arrival(65_000, 0, 200, 'valid', 6)],
    };
    const evtB = {
      eventId: 'evt_b',
      arrivals: [arrival(100, 100, 200, 'valid', 1), arrival(70_000, 100, 200, 'valid', 7)],
    };
    const evtC = {
      eventId: 'evt_c',
      arrivals: [arrival(7_000, 7_000, 200, 'valid', 5)],
    };

    expect(await api.invoke('inboxes.timeline', { id, limit: 100 })).toEqual([evtA, evtB, evtC]);
    expect(await api.invoke('inboxes.timeline', { id, limit: 2 })).toEqual([evtB, evtC]);
    expect(await api.invoke('inboxes.timeline', { id, eventId: 'evt_a', limit: 1 })).toEqual([evtA]);
    expect(
      await api.invoke('inboxes.timeline', {
        id,
        eventId: 'evt_nope',
        limit: 10,
      }),
    ).toEqual([]);
    expect(await api.invoke('inboxes.timeline', { id: other.id, limit: 10 })).toEqual([
      {
        eventId: 'evt_a',
        arrivals: [{ ...arrival(150, 150, 200, 'valid', 2) }],
      },
    ]);
    await expect(api.invoke('inboxes.timeline', { id: 'in_nope', limit: 10 })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No inbox with id in_nope.',
    });
  });
});

describe('inboxes on two team server instances', () => {
  it('an inbox added through one is captured by the other at once; its answer and removal reach the other within a second', async () => {
    const url = cluster.createDatabase('team_inboxes');
    const key = randomBytes(32);
    const box = sharedKeyBox(key);
    const [a, b] = await Promise.all([createTeamEngine({ url, box }), createTeamEngine({ url, box })]);
    onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    const receiverB = await b.startReceiver({ port: 0 });
    const send = (id: string, n: number) => fetch(`${receiverB}/in/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"n":${n}}` }).then((res) => res.status);

    const inbox = (await a.invoke('inboxes.add', { name: 'Shared', dialect: 'none' })) as InboxCreated;
    expect(await send(inbox.id, 1)).toBe(200);
    const captures = (await b.invoke('inboxes.captures', { id: inbox.id, limit: 10 })) as DeliverySummary[];
    expect(captures).toMatchObject([{ hookId: inbox.id, outcome: 'captured' }]);
    expect(await a.invoke('inboxes.get', { id: inbox.id })).toMatchObject({ captures: 1 });

    const answer = (await a.invoke('inboxes.respond', { id: inbox.id, status: 503 })) as InboxAnswer;
    expect(answer.status).toBe(503);
    let n = 1;
    await waitUntil(
      () => send(inbox.id, ++n),
      (status) => status === 503,
      5_000,
    );

    expect(await a.invoke('inboxes.remove', { id: inbox.id })).toMatchObject({ removed: true });
    await waitUntil(
      () => send(inbox.id, ++n),
      (status) => status === 404,
      5_000,
    );
    expect((await b.invoke('inboxes.list', {})) as InboxSummary[]).toEqual([]);
  });

  it('a capture signed with a secret rotated through one instance a moment ago is valid on the other, not refused on its older copy', async () => {
    const url = cluster.createDatabase('team_inbox_rotate');
    const key = randomBytes(32);
    const box = sharedKeyBox(key);
    const [a, b] = await Promise.all([createTeamEngine({ url, box }), createTeamEngine({ url, box })]);
    onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    const receiverB = await b.startReceiver({ port: 0 });
    const inbox = (await a.invoke('inboxes.add', { name: 'Signed', dialect: 'standard-webhooks' })) as InboxCreated;
    const body = Buffer.from('{"type":"invoice.paid"}');
    const sendSigned = async (secret: string, id: string) => {
      const signed = getDialect('standard-webhooks').sign(body, secret, { timestamp: Math.floor(Date.now() / 1000), id });
      const res = await fetch(`${receiverB}/in/${inbox.id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed.headers }, body });
      return ((await res.json()) as { verdict: Verdict }).verdict;
    };
    expect(await sendSigned(inbox.secret!, 'msg_before')).toBe('valid');
    // Rotated with no overlap: only the new secret verifies from now on, on every instance.
    const rotated = (await a.invoke('inboxes.rotate', { id: inbox.id, overlapSeconds: 0 })) as InboxCreated;
    expect(await sendSigned(rotated.secret!, 'msg_after')).toBe('valid');
  });
});
