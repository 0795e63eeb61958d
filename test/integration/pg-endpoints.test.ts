import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgEndpointHandlers } from '../../src/main/engine/control/pg/endpoint-handlers';
import type { AttemptView, MessageView } from '../../src/shared/types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { startSink } from '../helpers/sink';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgEndpointHandlers]);

const addOps = (api: HandlerStore, fields: { name?: string; url?: string } = {}) =>
  api.invoke('endpoints.add', { name: fields.name ?? 'Ops', url: fields.url ?? 'https://hooks.example/in', dialect: 'standard-webhooks', events: ['release.published'] });

const activityFeed = async (api: HandlerStore) => (await api.query<{ kind: string; message: string }>('SELECT kind, message FROM activity ORDER BY id')).map((r) => `${r.kind}: ${r.message}`);

const count = async (api: HandlerStore, sql: string, params: unknown[]) => Number((await api.query<{ n: number | string }>(sql, params))[0]!.n);

/** A message as the dispatcher would have left it; its row id. */
async function seedMessage(api: HandlerStore, endpointId: string, m: { messageId: string; state: string; attemptCount: number; createdAt: number; source?: string }): Promise<number> {
  const [row] = await api.query<{ id: number }>(
    `INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, attempt_count, created_at, updated_at)
     VALUES ($1, $2, 'release.published', $3, 'application/json', $4, $5, $6, $7, $7) RETURNING id`,
    [m.messageId, endpointId, Buffer.from('{"seeded":true}'), m.source ?? 'event', m.state, m.attemptCount, m.createdAt],
  );
  return row!.id;
}

async function seedAttempt(api: HandlerStore, endpointId: string, a: { messageRowId: number; attemptNo: number; startedAt: number; ok: boolean; ms: number }): Promise<number> {
  const [row] = await api.query<{ id: number }>(
    `INSERT INTO attempts (message_row_id, endpoint_id, attempt_no, trigger, started_at, url, request_headers, status, duration_ms, succeeded)
     VALUES ($1, $2, $3, 'scheduled', $4, 'https://hooks.example/in', '[]', $5, $6, $7) RETURNING id`,
    [a.messageRowId, endpointId, a.attemptNo, a.startedAt, a.ok ? 200 : 503, a.ms, a.ok],
  );
  return row!.id;
}

/** Every page of a list, following each page's cursor to the end. */
async function allPages<T extends { id: number }>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null; total?: number }>) {
  const ids: number[] = [];
  const totals: (number | undefined)[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    ids.push(...next.items.map((item) => item.id));
    totals.push(next.total);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return { ids, totals };
}

describe.each(HANDLER_STORES)('endpoints on the %s store', (kind) => {
  it('shows a new secret once, keeps it sealed at rest, and lists the endpoint with its URL credentials masked', async () => {
    const api = await open(kind);
    const url = 'https://bot:hunter2@hooks.example/in?token=abc123';
    const created = await addOps(api, { url });
    expect(created.secret).toMatch(/^whsec_/);

    const [stored] = await api.query<{ secret_sealed: string; url: string }>('SELECT secret_sealed, url FROM endpoints WHERE id = $1', [created.id]);
    expect(stored!.url).toBe(url);
    expect(stored!.secret_sealed).not.toContain(created.secret.slice('whsec_'.length));

    const listed = await api.invoke('endpoints.list', {});
    expect(listed).toEqual([await api.invoke('endpoints.get', { id: created.id })]);
    expect(listed[0]).toMatchObject({
      id: created.id,
      name: 'Ops',
      dialect: 'standard-webhooks',
      events: ['release.published'],
      active: true,
      format: 'dialect',
      maxInFlight: 4,
      timeoutMs: 15_000,
      relay: null,
      stats: { attempts: 0, succeeded: 0, successRate: null, p50Ms: null, pendingMessages: 0, failedMessages: 0 },
    });
    const shown = JSON.stringify(listed);
    for (const hidden of [created.secret, 'hunter2', 'abc123']) expect(shown).not.toContain(hidden);

    expect(await activityFeed(api)).toEqual(['endpoint_added: Endpoint Ops added: standard-webhooks to https://hooks.example/in, for release.published.']);
    expect(api.events.map((e) => e.type)).toEqual(['activity', 'endpoints']);
  });

  it('lists endpoints oldest first', async () => {
    const api = await open(kind);
    const ids: string[] = [];
    for (const name of ['first', 'second', 'third']) ids.push((await addOps(api, { name })).id);
    const stored = await api.query<{ id: string }>('SELECT id FROM endpoints ORDER BY created_at, id');
    expect((await api.invoke('endpoints.list', {})).map((e) => e.id)).toEqual(stored.map((r) => r.id));
  });

  it('updates the fields given, keeps a masked credential, and refuses bad input with the same errors, changing nothing', async () => {
    const api = await open(kind);
    const url = 'https://bot:hunter2@hooks.example/in';
    const { id } = await addOps(api, { url });
    const updated = await api.invoke('endpoints.update', { id, name: 'Renamed', events: ['release.published', 'release.tag_deleted'], retryDelays: [1, 5], timeoutMs: 2000 });
    expect(updated).toMatchObject({ name: 'Renamed', events: ['release.published', 'release.tag_deleted'], retryDelays: [1, 5], effectiveRetryDelays: [1, 5], timeoutMs: 2000 });

    // A form filled from the masked URL sends the mask back.
    expect(updated.url).not.toContain('hunter2');
    await api.invoke('endpoints.update', { id, url: updated.url });
    expect((await api.query<{ url: string }>('SELECT url FROM endpoints WHERE id = $1', [id]))[0]!.url).toBe(url);
    const before = await api.invoke('endpoints.get', { id });

    await expect(api.invoke('endpoints.update', { id, url: 'ftp://files.example/x' })).rejects.toMatchObject({ code: 'invalid_params', message: 'Endpoint URLs must be http or https, not ftp:' });
    await expect(api.invoke('endpoints.update', { id, events: ['nope.event'] })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/^Unknown event "nope\.event" for the standard-webhooks dialect; known: package\.created, /),
    });
    await expect(api.invoke('endpoints.update', { id, format: 'template' })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'A template endpoint needs a template, e.g. {"text": "{{event}} {{release.version}}"}.',
    });
    await expect(api.invoke('endpoints.update', { id, relay: { packageId: 'pk_gone', mode: 'original' } })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No package with id pk_gone to relay from.',
    });
    await expect(api.invoke('endpoints.update', { id: 'ep_gone', name: 'x' })).rejects.toMatchObject({ code: 'not_found', message: 'No endpoint with id ep_gone.' });
    await expect(
      api.invoke('endpoints.add', { name: 'Bad', url: 'https://hooks.example/b', dialect: 'standard-webhooks', events: ['release.published'], secret: 'whsec_short' }),
    ).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/^Not a Standard Webhooks \(Svix\) secret: /) });
    await expect(api.invoke('endpoints.add', { name: 'Bad', url: 'https://hooks.example/b', dialect: 'nope', events: ['release.published'] })).rejects.toMatchObject({
      code: 'invalid_params',
    });

    expect(await api.invoke('endpoints.get', { id })).toEqual(before);
    expect(await api.invoke('endpoints.list', {})).toHaveLength(1);
  });

  it('disables with a reason, enables again, and says so in the feed and to every window', async () => {
    const api = await open(kind);
    const { id } = await addOps(api);
    expect(await api.invoke('endpoints.disable', { id, reason: 'Maintenance window' })).toMatchObject({ active: false, disabledReason: 'Maintenance window' });
    await api.query('UPDATE endpoints SET consecutive_failures = 7 WHERE id = $1', [id]);
    expect(await api.invoke('endpoints.enable', { id })).toMatchObject({ active: true, disabledReason: null, consecutiveFailures: 0 });
    expect(await api.invoke('endpoints.disable', { id })).toMatchObject({ active: false, disabledReason: 'Disabled by the user.' });

    expect((await activityFeed(api)).slice(1)).toEqual([
      'endpoint_disabled: Endpoint Ops disabled: Maintenance window',
      'endpoint_enabled: Endpoint Ops enabled.',
      'endpoint_disabled: Endpoint Ops disabled by the user.',
    ]);
    const pushed = api.events.flatMap((e) => (e.type === 'endpoint' ? [e.endpoint.active] : []));
    expect(pushed).toEqual([false, true, false]);
    await expect(api.invoke('endpoints.enable', { id: 'ep_gone' })).rejects.toMatchObject({ code: 'not_found', message: 'No endpoint with id ep_gone.' });
  });

  it('rotates the secret, shown once, with the previous one still signing through the overlap', async () => {
    const api = await open(kind);
    const created = await addOps(api);
    const [before] = await api.query<{ secret_sealed: string }>('SELECT secret_sealed FROM endpoints WHERE id = $1', [created.id]);
    const rotated = await api.invoke('endpoints.rotateSecret', { id: created.id, overlapSeconds: 3600 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const [after] = await api.query<{ secret_sealed: string; previous_secret_sealed: string }>('SELECT secret_sealed, previous_secret_sealed FROM endpoints WHERE id = $1', [created.id]);
    expect(after!.previous_secret_sealed).toBe(before!.secret_sealed);
    expect(after!.secret_sealed).not.toContain(rotated.secret.slice('whsec_'.length));
    expect((await api.invoke('endpoints.get', { id: created.id })).rotatingUntil).toBe(rotated.previousSecretValidUntil);
    expect((await activityFeed(api)).at(-1)).toBe(
      `endpoint_secret_rotated: Endpoint Ops: signing secret rotated; the previous one also signs until ${new Date(rotated.previousSecretValidUntil!).toISOString()}.`,
    );
  });

  it('removes an endpoint with its messages and attempts', async () => {
    const api = await open(kind);
    const { id } = await addOps(api);
    const keep = await addOps(api, { name: 'Keep' });
    const rowId = await seedMessage(api, id, { messageId: 'msg_gone', state: 'succeeded', attemptCount: 1, createdAt: 1_700_000_000_000 });
    await seedAttempt(api, id, { messageRowId: rowId, attemptNo: 1, startedAt: 1_700_000_000_000, ok: true, ms: 4 });
    await api.invoke('endpoints.trigger', { id: keep.id, event: 'release.published' });

    expect(await api.invoke('endpoints.remove', { id })).toEqual({ removed: true });
    await expect(api.invoke('endpoints.get', { id })).rejects.toMatchObject({ code: 'not_found', message: `No endpoint with id ${id}.` });
    expect((await api.invoke('endpoints.list', {})).map((e) => e.id)).toEqual([keep.id]);
    expect(await count(api, 'SELECT count(*) AS n FROM messages WHERE endpoint_id = $1', [id])).toBe(0);
    expect(await count(api, 'SELECT count(*) AS n FROM attempts WHERE endpoint_id = $1', [id])).toBe(0);
    expect(await count(api, 'SELECT count(*) AS n FROM messages WHERE endpoint_id = $1', [keep.id])).toBe(1);
    expect((await activityFeed(api)).at(-1)).toBe('endpoint_removed: Endpoint Ops removed, with its messages and attempts.');
    await expect(api.invoke('endpoints.remove', { id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('queues a triggered sample as a pending message, one or many', async () => {
    const api = await open(kind);
    const { id } = await addOps(api);
    const message = await api.invoke('endpoints.trigger', { id, event: 'release.published' });
    expect(message).toMatchObject({ endpointId: id, event: 'release.published', source: 'trigger', state: 'pending', attemptCount: 0, lastError: null });
    const [row] = await api.query<{ message_id: string; state: string; body: Buffer; source: string }>('SELECT message_id, state, body, source FROM messages WHERE id = $1', [message.id]);
    expect(row).toMatchObject({ message_id: message.messageId, state: 'pending', source: 'trigger' });
    expect(JSON.parse(Buffer.from(row!.body).toString('utf8'))).toMatchObject({ type: 'release.published' });

    await expect(api.invoke('endpoints.trigger', { id, event: 'nope.event' })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/^The standard-webhooks dialect has no "nope\.event" event; it has /),
    });
    await expect(api.invoke('endpoints.trigger', { id: 'ep_gone', event: 'release.published' })).rejects.toMatchObject({ code: 'not_found' });

    const many = await api.invoke('endpoints.triggerMany', { id, event: 'release.published', count: 7 });
    expect(many.ids).toHaveLength(7);
    expect([...many.ids].sort((a, b) => a - b)).toEqual(many.ids);
    const queued = await api.query<{ id: number; message_id: string; created_at: number }>('SELECT id, message_id, created_at FROM messages WHERE id > $1 ORDER BY id', [message.id]);
    expect(queued.map((r) => r.id)).toEqual(many.ids);
    expect(new Set(queued.map((r) => r.message_id)).size).toBe(7);
    expect(queued.every((r) => Number(r.created_at) === many.createdAt)).toBe(true);
    expect((await api.invoke('endpoints.get', { id })).stats.pendingMessages).toBe(8);
  });

  it('pages through messages and attempts with totals equal to the stored counts, every row once', async () => {
    const api = await open(kind);
    const { id } = await addOps(api);
    const other = await addOps(api, { name: 'Other' });
    const at = 1_700_000_000_000;
    const attemptIds: number[] = [];
    const messageIds: number[] = [];
    for (let i = 0; i < 23; i++) {
      const endpointId = i % 4 === 3 ? other.id : id;
      const rowId = await seedMessage(api, endpointId, { messageId: `msg_${i}`, state: 'succeeded', attemptCount: 1, createdAt: at + i });
      const attemptId = await seedAttempt(api, endpointId, { messageRowId: rowId, attemptNo: 1, startedAt: at + i, ok: true, ms: i });
      if (endpointId === id) {
        messageIds.push(rowId);
        attemptIds.push(attemptId);
      }
    }
    const messagesTotal = await count(api, 'SELECT count(*) AS n FROM messages WHERE endpoint_id = $1', [id]);
    const attemptsTotal = await count(api, 'SELECT count(*) AS n FROM attempts WHERE endpoint_id = $1', [id]);

    const messages = await allPages((cursor) => api.invoke('endpoints.messagesPage', { id, limit: 5, cursor, total: true }));
    expect(messages.ids).toEqual([...messageIds].reverse());
    expect(messages.totals.every((t) => t === messagesTotal)).toBe(true);
    const attempts = await allPages((cursor) => api.invoke('endpoints.attemptsPage', { id, limit: 4, cursor, total: cursor === undefined }));
    expect(attempts.ids).toEqual([...attemptIds].reverse());
    expect(attempts.totals[0]).toBe(attemptsTotal);
    expect(attempts.totals.slice(1).every((t) => t === undefined)).toBe(true);

    const firstAttempts = await api.invoke('endpoints.attempts', { id, limit: 3 });
    expect(firstAttempts.map((a) => a.id)).toEqual(attempts.ids.slice(0, 3));
    expect(firstAttempts[0]).toMatchObject({ messageId: 'msg_22', event: 'release.published', attemptNo: 1, trigger: 'scheduled', requestHeaders: [], responseBody: '', succeeded: true });
    expect((await api.invoke('endpoints.messages', { id, limit: 2 })).map((m) => m.id)).toEqual(messages.ids.slice(0, 2));

    const firstPage = await api.invoke('endpoints.messagesPage', { id, limit: 5 });
    await expect(api.invoke('endpoints.attemptsPage', { id, limit: 5, cursor: firstPage.nextCursor! })).rejects.toMatchObject({
      code: 'invalid_params',
      message: 'That cursor belongs to the list of messages, not of attempts.',
    });
    await expect(api.invoke('endpoints.messagesPage', { id: 'ep_gone', limit: 5 })).rejects.toMatchObject({ code: 'not_found', message: 'No endpoint with id ep_gone.' });
  });

  it('resends a message as the next attempt, marked manual, with the same message id', async () => {
    const api = await open(kind);
    const sink = await startSink(() => ({ status: 200 }));
    const { id } = await addOps(api, { url: sink.url });
    const at = 1_700_000_000_000;
    const rowId = await seedMessage(api, id, { messageId: 'msg_resent', state: 'failed', attemptCount: 2, createdAt: at });
    for (const attemptNo of [1, 2]) await seedAttempt(api, id, { messageRowId: rowId, attemptNo, startedAt: at + attemptNo, ok: false, ms: 3 });

    const resent: MessageView = await api.invoke('messages.resend', { id: rowId });
    expect(resent).toMatchObject({ id: rowId, messageId: 'msg_resent', state: 'pending', attemptCount: 2, source: 'redelivery' });
    const [row] = await api.query<{ run_from: number; manual_next: boolean | number }>('SELECT run_from, manual_next FROM messages WHERE id = $1', [rowId]);
    expect([Number(row!.run_from), Boolean(row!.manual_next)]).toEqual([2, true]);
    expect((await activityFeed(api)).at(-1)).toBe('resent: Message msg_resent (release.published) to endpoint Ops queued to send again.');

    expect(await api.sendNow(rowId)).toBe(true);
    const attempts: AttemptView[] = (await api.invoke('endpoints.attemptsPage', { id, limit: 10 })).items;
    expect(attempts.map((a) => [a.attemptNo, a.trigger, a.succeeded])).toEqual([
      [3, 'manual', true],
      [2, 'scheduled', false],
      [1, 'scheduled', false],
    ]);
    expect(sink.received.map((r) => r.header('webhook-id'))).toEqual(['msg_resent']);

    await api.query("UPDATE messages SET state = 'sending' WHERE id = $1", [rowId]);
    await expect(api.invoke('messages.resend', { id: rowId })).rejects.toMatchObject({ code: 'conflict', message: `Message ${rowId} is being sent right now.` });
    await expect(api.invoke('messages.resend', { id: 999_999 })).rejects.toMatchObject({ code: 'not_found', message: 'No outbound message with id 999999.' });
  });

  it('resends the failed messages since a time, numbering on from their attempts', async () => {
    const api = await open(kind);
    const { id } = await addOps(api);
    const at = 1_700_000_000_000;
    const old = await seedMessage(api, id, { messageId: 'msg_old', state: 'failed', attemptCount: 3, createdAt: at - 1 });
    const failed = [await seedMessage(api, id, { messageId: 'msg_a', state: 'failed', attemptCount: 3, createdAt: at }), await seedMessage(api, id, { messageId: 'msg_b', state: 'failed', attemptCount: 1, createdAt: at + 5 })];
    await seedMessage(api, id, { messageId: 'msg_ok', state: 'succeeded', attemptCount: 1, createdAt: at + 6 });

    expect(await api.invoke('endpoints.resendFailed', { id, since: at })).toEqual({ resent: 2 });
    const rows = await api.query<{ id: number; state: string; run_from: number; manual_next: boolean | number; source: string }>(
      'SELECT id, state, run_from, manual_next, source FROM messages WHERE endpoint_id = $1 ORDER BY id',
      [id],
    );
    expect(rows.map((r) => [r.id, r.state, Number(r.run_from), Boolean(r.manual_next), r.source])).toEqual([
      [old, 'failed', 0, false, 'event'],
      [failed[0], 'pending', 3, true, 'event'],
      [failed[1], 'pending', 1, true, 'event'],
      [rows[3]!.id, 'succeeded', 0, false, 'event'],
    ]);
    expect((await activityFeed(api)).at(-1)).toBe(`resent: 2 failed messages to endpoint Ops (since ${new Date(at).toISOString()}) queued to send again.`);
    expect(await api.invoke('endpoints.resendFailed', { id, since: at })).toEqual({ resent: 0 });
  });

  it('charts success and latency in the same buckets, and sums them up in the stats', async () => {
    const api = await open(kind);
    const { id } = await addOps(api);
    const since = 1_700_000_000_000;
    const rowId = await seedMessage(api, id, { messageId: 'msg_chart', state: 'succeeded', attemptCount: 5, createdAt: since });
    const tries: [number, boolean, number][] = [
      [-5_000, true, 99],
      [1_000, true, 10],
      [2_000, false, 30],
      [59_999, true, 20],
      [61_000, true, 40],
    ];
    for (const [i, [offset, ok, ms]] of tries.entries()) await seedAttempt(api, id, { messageRowId: rowId, attemptNo: i + 1, startedAt: since + offset, ok, ms });

    expect(await api.invoke('endpoints.series', { id, since, bucketMs: 60_000 })).toEqual([
      { t: since, attempts: 3, succeeded: 2, p50Ms: 20, p99Ms: 30 },
      { t: since + 60_000, attempts: 1, succeeded: 1, p50Ms: 40, p99Ms: 40 },
    ]);
    expect((await api.invoke('endpoints.get', { id })).stats).toEqual({
      attempts: 5,
      succeeded: 4,
      successRate: 0.8,
      p50Ms: 30,
      p99Ms: 99,
      lastStatus: 200,
      lastAttemptAt: since + 61_000,
      failedMessages: 0,
      pendingMessages: 0,
    });
    await expect(api.invoke('endpoints.series', { id: 'ep_gone', since, bucketMs: 60_000 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('previews a body from unsaved settings without storing anything', async () => {
    const api = await open(kind);
    const preview = await api.invoke('endpoints.preview', { dialect: 'standard-webhooks', format: 'template', template: '{"text": "{{event}}"}', event: 'release.published' });
    expect(preview).toEqual({ event: 'release.published', contentType: 'application/json', body: '{"text": "release.published"}' });
    await expect(api.invoke('endpoints.preview', { dialect: 'standard-webhooks', format: 'template', event: 'release.published' })).rejects.toMatchObject({ code: 'invalid_params' });
    expect(await count(api, 'SELECT count(*) AS n FROM endpoints', [])).toBe(0);
  });
});
