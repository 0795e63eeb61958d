import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { pgInboxHandlers } from '../../src/main/engine/control/pg/inbox-handlers';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { pgForwardQueue } from '../../src/main/engine/inbox/forward/pg-forward-queue';
import { createForwardWorker, FORWARD_TIMEOUT_MS } from '../../src/main/engine/inbox/forward/worker';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import type { MethodName, ParamsOf, PushEvent, ResultOf } from '../../src/shared/contract';
import type { InboxForwardResult } from '../../src/shared/inbox-types';
import { tempDataDir } from '../helpers/data-dir';
import { startServeWith } from '../helpers/serve-process';
import { freePort, startTarget } from '../helpers/forward-target';
import { HANDLER_STORES, openHandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const KEY = randomBytes(32);
const teamBox = () =>
  keyRingBox(
    'shared-key',
    () => [KEY],
    () => KEY,
    'HOOKBENCH_SECRET_KEY',
  );
let databases = 0;

/** Where a store keeps its data: a data dir, or a database on the cluster. */
const newPlace = (kind: HandlerStoreKind) => (kind === 'sqlite' ? tempDataDir() : cluster.createDatabase(`fwd_${process.pid}_${++databases}`));

interface Running {
  invoke<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  receiverUrl: string;
  /** Every event published on this instance's bus, in order. */
  events: PushEvent[];
  /** Plain SQL on the store ($1-style parameters). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A serving engine of either kind on `place` (receiver, workers and all), closed when the test
 * ends: the desktop engine on a data dir, or a team server instance on a PostgreSQL database.
 */
async function serve(kind: HandlerStoreKind, place: string, options: { passBackWaitMs?: number } = {}): Promise<Running> {
  const events: PushEvent[] = [];
  let running: Omit<Running, 'receiverUrl'> & { startReceiver(o: { port: number }): Promise<string>; startWorkers(): Promise<void> };
  if (kind === 'sqlite') {
    const engine = createEngine({ dataDir: place, ...options });
    engine.bus.subscribe((event) => events.push(event));
    running = {
      invoke: async (method, params) => (await engine.invoke(method, params)) as never,
      events,
      async query<T>(text: string, params: unknown[] = []) {
        const values = [...text.matchAll(/\$(\d+)/g)].map((match) => params[Number(match[1]) - 1]);
        const statement = engine.db.$client.prepare(text.replace(/\$\d+/g, '?'));
        return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[];
      },
      close: () => engine.close(),
      startReceiver: (o) => engine.startReceiver(o),
      startWorkers: () => engine.startWorkers(),
    };
  } else {
    const engine = await createTeamEngine({ url: place, box: teamBox(), ...options });
    engine.bus.subscribe((event) => events.push(event));
    const pool = new pg.Pool({ connectionString: place, max: 2 });
    running = {
      invoke: async (method, params) => (await engine.invoke(method, params)) as never,
      events,
      query: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
      close: async () => {
        await engine.close();
        await pool.end();
      },
      startReceiver: (o) => engine.startReceiver(o),
      startWorkers: async () => {
        await engine.startWorkers();
        await engine.peersListening();
      },
    };
  }
  let closed: Promise<void> | null = null;
  const close = () => (closed ??= running.close());
  onTestFinished(close);
  const receiverUrl = await running.startReceiver({ port: 0 });
  await running.startWorkers();
  return { ...running, receiverUrl, close };
}

const addInbox = async (api: Running, dialect = 'none') => {
  const created = await api.invoke('inboxes.add', { name: 'fwd', dialect });
  return { ...created, url: `${api.receiverUrl}/in/${created.id}` };
};
const forwardsOf = async (api: Running, capture: number) => (await api.invoke('captured.get', { ref: `delivery:${capture}` })).forwards;
const waitForwards = (api: Running, capture: number, done: (f: InboxForwardResult[]) => boolean, timeoutMs?: number) => waitUntil(() => forwardsOf(api, capture), done, timeoutMs);
/** Resolves once the capture's delivered forward was told on the bus (it is told after its commit, which a reader may see first). */
const toldDelivered = (api: Running, capture: number) => waitUntil(async () => api.events.some((e) => e.type === 'forward' && e.deliveryId === capture && e.forward.state === 'delivered'), Boolean);
const captureOf = async (res: Response) => ((await res.json()) as { capture: number }).capture;

describe.each(HANDLER_STORES)('%s store', (kind) => {
  it('inboxes.forward adds, replaces and removes targets with the same checks and errors', async () => {
    const api = await openHandlerStore(kind, cluster, [pgInboxHandlers]);
    const { id } = await api.invoke('inboxes.add', { name: 'Dev', dialect: 'none' });
    const first = await api.invoke('inboxes.forward', { id, url: 'http://localhost:3000/hooks', events: ['a', 'a', 'b'], pathRewrite: '/x=>/y' });
    expect(first).toEqual([{ url: 'http://localhost:3000/hooks', events: ['a', 'b'], pathRewrite: '/x=>/y', passBack: false, retrySeconds: [1, 5, 30, 120, 600, 1800, 3600] }]);
    const both = await api.invoke('inboxes.forward', { id, url: 'http://localhost:4000', passBack: true, retrySeconds: [2] });
    expect(both.map((t) => [t.url, t.passBack, t.retrySeconds])).toEqual([
      ['http://localhost:3000/hooks', false, [1, 5, 30, 120, 600, 1800, 3600]],
      ['http://localhost:4000/', true, [2]],
    ]);
    // Set again by URL: replaced in place, not added.
    const replaced = await api.invoke('inboxes.forward', { id, url: 'http://localhost:3000/hooks' });
    expect(replaced.map((t) => [t.url, t.events, t.pathRewrite])).toEqual([
      ['http://localhost:3000/hooks', [], null],
      ['http://localhost:4000/', [], null],
    ]);
    expect((await api.invoke('inboxes.get', { id })).forwards).toEqual(replaced);

    const refused = async (params: ParamsOf<'inboxes.forward'>) => {
      try {
        await api.invoke('inboxes.forward', params);
      } catch (error) {
        const { code, message } = error as { code: string; message: string };
        return { code, message };
      }
      throw new Error('accepted');
    };
    expect(await refused({ id: 'in_nope', url: 'http://localhost:1' })).toEqual({ code: 'not_found', message: 'No inbox with id in_nope.' });
    expect(await refused({ id, url: 'nope' })).toEqual({ code: 'invalid_params', message: '"nope" is not a URL; give one such as http://localhost:3000/webhooks.' });
    expect(await refused({ id, url: 'ftp://host/x' })).toMatchObject({ code: 'invalid_params', message: '"ftp://host/x" must be an http or https URL.' });
    expect(await refused({ id, url: `http://127.0.0.1:9/in/${id}/x` })).toMatchObject({ code: 'invalid_params', message: expect.stringContaining("is this inbox's own address") });
    expect(await refused({ id, url: 'http://localhost:5000', pathRewrite: 'nope' })).toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/^Path rewrite "nope" should read FROM=>TO/),
    });
    expect(await refused({ id, url: 'http://localhost:5000', passBack: true })).toEqual({
      code: 'invalid_params',
      message: 'http://localhost:4000/ already passes its answer back to the sender, and a sender gets one answer; set that target again without pass-back first.',
    });
    expect(await refused({ id, url: 'http://localhost:5000', remove: true })).toEqual({
      code: 'not_found',
      message: `Inbox ${id} forwards nothing to http://localhost:5000; its targets: http://localhost:3000/hooks, http://localhost:4000/.`,
    });
    // Nothing refused changed anything.
    expect((await api.invoke('inboxes.get', { id })).forwards).toEqual(replaced);

    expect(await api.invoke('inboxes.forward', { id, url: 'http://localhost:4000', remove: true })).toEqual([replaced[0]]);
  });

  it('forwards the exact bytes, method, rewritten path and headers; the app verifies the original signature; each answer is shown with the capture', async () => {
    const api = await serve(kind, newPlace(kind));
    const inbox = await addInbox(api, 'standard-webhooks');
    const secret = inbox.secret!;
    const app = await startTarget((req) => {
      const headers = Object.fromEntries(req.headers.map(([k, v]) => [k.toLowerCase(), v]));
      try {
        new Webhook(secret).verify(req.body.toString('utf8'), headers);
        return { status: 201, headers: [['X-App', 'took it']], body: 'verified' };
      } catch (error) {
        return { status: 400, body: (error as Error).message };
      }
    });
    await api.invoke('inboxes.forward', { id: inbox.id, url: `${app.url}/base?app=1`, pathRewrite: '/hooks=>/api' });
    const body = '{ "type":"user.created",  "data":{"id":1,"name":"Zoë"} }';
    const at = new Date();
    const signature = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_1', at, body) };
    const res = await fetch(`${inbox.url}/hooks/sw?x=1`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-trace': 'one', ...signature }, body });
    expect(res.status).toBe(200);
    const capture = await captureOf(res);

    const [forward] = await waitForwards(api, capture, (f) => f[0]?.state === 'delivered');
    expect(forward).toMatchObject({ url: `${app.url}/base?app=1`, state: 'delivered', attempts: 1, status: 201, body: 'verified', error: null, nextAttemptAt: null });
    expect(forward!.headers).toContainEqual(['X-App', 'took it']);
    expect(app.received).toHaveLength(1);
    expect(app.received[0]).toMatchObject({ method: 'PUT', path: '/base/api/sw?app=1&x=1' });
    expect(app.received[0]!.body.equals(Buffer.from(body))).toBe(true);
    expect(app.received[0]!.headers.find(([k]) => k.toLowerCase() === 'x-trace')).toEqual(['x-trace', 'one']);
    // The attempt was told as it was recorded.
    await toldDelivered(api, capture);
    expect(api.events.filter((e) => e.type === 'forward')).toMatchObject([{ type: 'forward', deliveryId: capture, forward: { state: 'delivered', status: 201 } }]);
    expect(await api.invoke('deliveries.get', { id: capture })).toMatchObject({ id: capture, statusCode: 200, method: 'PUT' });
  });

  it('queues a capture only for the targets that take its event, in the capture’s own commit', async () => {
    const api = await serve(kind, newPlace(kind));
    const inbox = await addInbox(api);
    const app = await startTarget();
    await api.invoke('inboxes.forward', { id: inbox.id, url: app.url, events: ['invoice.paid'] });
    const post = (type: string) => fetch(inbox.url, { method: 'POST', body: JSON.stringify({ type }) }).then(captureOf);
    const skipped = await post('customer.created');
    const taken = await post('invoice.paid');
    await waitForwards(api, taken, (f) => f[0]?.state === 'delivered');
    expect(await forwardsOf(api, skipped)).toEqual([]);
    expect(app.received.map((r) => JSON.parse(r.body.toString()) as unknown)).toEqual([{ type: 'invoice.paid' }]);
  });

  it('retries a failing target on its schedule, telling each attempt, until it takes the capture', async () => {
    const api = await serve(kind, newPlace(kind));
    const inbox = await addInbox(api);
    const app = await startTarget((_req, n) => (n < 3 ? { status: 503, body: 'restarting' } : { status: 200, body: 'thanks' }));
    await api.invoke('inboxes.forward', { id: inbox.id, url: app.url, retrySeconds: [1, 1] });
    const capture = await fetch(`${inbox.url}/x`, { method: 'POST', body: 'hello' }).then(captureOf);
    await waitForwards(api, capture, (f) => f[0]?.state === 'delivered');
    await toldDelivered(api, capture);
    const told = api.events.flatMap((e) => (e.type === 'forward' ? [[e.deliveryId, e.forward.state, e.forward.attempts, e.forward.status, e.forward.body]] : []));
    expect(told).toEqual([
      [capture, 'pending', 1, 503, 'restarting'],
      [capture, 'pending', 2, 503, 'restarting'],
      [capture, 'delivered', 3, 200, 'thanks'],
    ]);
    expect(api.events.find((e) => e.type === 'forward')).toMatchObject({ forward: { error: 'HTTP 503. Next attempt in 1 s.', nextAttemptAt: expect.any(Number) } });
    expect(app.received.map((r) => r.body.toString())).toEqual(['hello', 'hello', 'hello']);
  });

  it('pass-back: the sender gets the target’s answer, and the capture keeps the status given', async () => {
    const api = await serve(kind, newPlace(kind));
    const inbox = await addInbox(api);
    const app = await startTarget(() => ({ status: 422, headers: [['X-App', 'checked']], body: 'missing field: amount' }));
    await api.invoke('inboxes.forward', { id: inbox.id, url: app.url, passBack: true });
    const res = await fetch(`${inbox.url}/pay`, { method: 'POST', body: '{"amount":null}' });
    expect(res.status).toBe(422);
    expect(res.headers.get('x-app')).toBe('checked');
    expect(await res.text()).toBe('missing field: amount');
    const [capture] = await api.invoke('inboxes.captures', { id: inbox.id, limit: 5 });
    expect(capture).toMatchObject({ statusCode: 422 });
    expect(await api.invoke('deliveries.get', { id: capture!.id })).toMatchObject({ statusCode: 422 });
    expect(app.received).toHaveLength(1);
  });

  it('pass-back answers 502 with the reason when the target cannot be reached, and the forward is retried', async () => {
    const api = await serve(kind, newPlace(kind));
    const inbox = await addInbox(api);
    await api.invoke('inboxes.forward', { id: inbox.id, url: `http://127.0.0.1:${await freePort()}/app`, passBack: true, retrySeconds: [600] });
    const res = await fetch(inbox.url, { method: 'POST', body: 'x' });
    expect(res.status).toBe(502);
    const answer = (await res.json()) as { error: string; reason: string; capture: number };
    expect(answer).toMatchObject({ error: 'forward_failed', reason: expect.stringContaining('ECONNREFUSED') });
    const [pending] = await waitForwards(api, answer.capture, (f) => (f[0]?.attempts ?? 0) >= 1);
    expect(pending).toMatchObject({ state: 'pending', attempts: 1, status: null, error: expect.stringContaining('Next attempt in 600 s.') });
    expect(await api.invoke('deliveries.get', { id: answer.capture })).toMatchObject({ statusCode: 502 });
  });

  it('pass-back gives the inbox’s own answer when the target takes longer than the wait, and sends on in the background', async () => {
    const api = await serve(kind, newPlace(kind), { passBackWaitMs: 300 });
    const inbox = await addInbox(api);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const app = await startTarget(() => held.then(() => ({ status: 202 })));
    await api.invoke('inboxes.forward', { id: inbox.id, url: app.url, passBack: true });
    const res = await fetch(inbox.url, { method: 'POST', body: 'x' });
    expect(res.status).toBe(200);
    const capture = await captureOf(res);
    release();
    expect(await waitForwards(api, capture, (f) => f[0]?.state === 'delivered')).toMatchObject([{ status: 202, attempts: 1 }]);
    expect(app.received).toHaveLength(1);
  });

  it('a slow target holds back no acknowledgement: every capture is answered before it answers once', async () => {
    const api = await serve(kind, newPlace(kind));
    const inbox = await addInbox(api);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const app = await startTarget(() => released.then(() => ({ status: 200 })));
    await api.invoke('inboxes.forward', { id: inbox.id, url: app.url });
    expect((await fetch(inbox.url, { method: 'POST', body: 'first' })).status).toBe(200);
    await waitUntil(
      async () => app.received.length,
      (n) => n >= 1,
    );
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${inbox.url}/${i}`, { method: 'POST', body: `capture ${i}` }).then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(app.answered()).toBe(0);
    release();
  });

  it('resumes after a restart: a forward waiting for its retry is sent by the next start', async () => {
    const place = newPlace(kind);
    const port = await freePort();
    const first = await serve(kind, place);
    const inbox = await addInbox(first);
    await first.invoke('inboxes.forward', { id: inbox.id, url: `http://127.0.0.1:${port}/app`, retrySeconds: [1] });
    const capture = await fetch(inbox.url, { method: 'POST', body: 'kept' }).then(captureOf);
    const [refused] = await waitForwards(first, capture, (f) => (f[0]?.attempts ?? 0) >= 1);
    expect(refused).toMatchObject({ state: 'pending', status: null, error: expect.stringContaining('ECONNREFUSED') });
    await first.close();

    const app = await startTarget(() => ({ status: 200 }), port);
    const second = await serve(kind, place);
    expect(await waitForwards(second, capture, (f) => f[0]?.state === 'delivered')).toMatchObject([{ attempts: 2, status: 200 }]);
    expect(app.received.map((r) => [r.path, r.body.toString()])).toEqual([['/app', 'kept']]);
  });

  it('a forward left mid-send is sent again: handed back by a stopping instance, or taken back once a dead one’s lease runs out', async () => {
    const place = newPlace(kind);
    const first = await serve(kind, place);
    const inbox = await addInbox(first);
    let answer = false;
    // Holds the first forward unanswered until the instance sending it has stopped.
    const app = await startTarget(() => (answer ? { status: 200 } : new Promise(() => undefined)));
    await first.invoke('inboxes.forward', { id: inbox.id, url: app.url });
    const handedBack = await fetch(inbox.url, { method: 'POST', body: 'in flight' }).then(captureOf);
    await waitUntil(
      async () => app.received.length,
      (n) => n >= 1,
    );
    await first.close();
    answer = true;

    const second = await serve(kind, place);
    expect(await waitForwards(second, handedBack, (f) => f[0]?.state === 'delivered')).toMatchObject([{ attempts: 1, status: 200 }]);
    // As an instance killed mid-send leaves a forward: claimed, its lease over.
    const orphan = await fetch(inbox.url.replace(/^http:\/\/[^/]+/, second.receiverUrl), { method: 'POST', body: 'orphaned' }).then(captureOf);
    await waitForwards(second, orphan, (f) => f[0]?.state === 'delivered');
    await second.query("UPDATE inbox_forwards SET state = 'sending', claimed_until = $1, next_attempt_at = $1, attempts = 0 WHERE delivery_id = $2", [Date.now() - 1, orphan]);
    expect(await waitForwards(second, orphan, (f) => f[0]?.state === 'delivered' && f[0].attempts === 1)).toMatchObject([{ status: 200 }]);
    expect(app.received.map((r) => r.body.toString())).toEqual(['in flight', 'in flight', 'orphaned', 'orphaned']);
  });
});

describe('forwarding on two team server instances', () => {
  it('captures arriving through both are each forwarded once, whichever instance sends them', async () => {
    const url = newPlace('postgres');
    const [a, b] = [await serve('postgres', url), await serve('postgres', url)];
    // Slow enough that both instances have forwards out at once.
    const app = await startTarget(() => delay(20).then(() => ({ status: 200 })));
    const inbox = await addInbox(a);
    await a.invoke('inboxes.forward', { id: inbox.id, url: app.url });
    const N = 60;
    const captures = await Promise.all(Array.from({ length: N }, (_, i) => fetch(`${(i % 2 ? a : b).receiverUrl}/in/${inbox.id}/n`, { method: 'POST', body: `#${i}` }).then(captureOf)));
    await waitUntil(
      () => a.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox_forwards WHERE state = 'delivered'"),
      ([row]) => row!.n === N,
    );
    expect(app.received.map((r) => r.body.toString()).sort()).toEqual(Array.from({ length: N }, (_, i) => `#${i}`).sort());
    const rows = await a.query<{ deliveryId: number; attempts: number }>('SELECT delivery_id::int AS "deliveryId", attempts::int AS attempts FROM inbox_forwards ORDER BY delivery_id');
    expect(rows).toEqual(captures.sort((x, y) => x - y).map((deliveryId) => ({ deliveryId, attempts: 1 })));
    // Each instance's window hears of every forward, whichever instance sent it.
    for (const instance of [a, b]) {
      await waitUntil(
        async () => new Set(instance.events.flatMap((e) => (e.type === 'forward' ? [e.deliveryId] : []))).size,
        (n) => n === N,
      );
    }
  });

  it('a pass-back whose forward another instance is sending gets that instance’s answer, sent once', async () => {
    const url = newPlace('postgres');
    const api = await serve('postgres', url);
    const inbox = await addInbox(api);
    // Captured before the target was set: its forward is queued below, due only in an hour, so no worker sends it on its own.
    const capture = await fetch(inbox.url, { method: 'POST', body: 'once' }).then(captureOf);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const app = await startTarget(() => held.then(() => ({ status: 201, body: 'from the app' })));
    await api.invoke('inboxes.forward', { id: inbox.id, url: app.url, passBack: true });
    const later = Date.now() + 3_600_000;
    await api.query(
      "INSERT INTO inbox_forwards (delivery_id, inbox_id, target_url, pass_back, state, attempts, next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, true, 'pending', 0, $4, $4, $4)",
      [capture, inbox.id, `${app.url}/`, later],
    );
    // Two instances' forwarders over their own pools: one sends, the other finds it claimed.
    const [poolA, poolB] = (await Promise.all([openPostgres(url, { poolSize: 2 }), openPostgres(url, { poolSize: 2 })])).map((db) => db.$client);
    onTestFinished(() => Promise.all([poolA!.end(), poolB!.end()]).then(() => undefined));
    const sender = createForwardWorker({ queue: pgForwardQueue(poolA!, Date.now), box: teamBox() });
    // The peer's statements are counted, so the target answers only once the peer has found the forward claimed.
    const peerReads: string[] = [];
    const peerPool = { query: (query: { name?: string }, values?: unknown[]) => (peerReads.push(query.name ?? ''), poolB!.query(query as pg.QueryConfig, values)) } as unknown as pg.Pool;
    const peer = createForwardWorker({ queue: pgForwardQueue(peerPool, Date.now), box: teamBox() });
    const sent = sender.answerFor(capture, 9_000);
    await waitUntil(
      async () => app.received.length,
      (n) => n === 1,
    );
    const awaited = peer.answerFor(capture, 9_000);
    await waitUntil(
      async () => peerReads.filter((name) => name === 'hb_forward_by_id').length,
      (n) => n >= 1,
    );
    release();
    for (const answer of await Promise.all([sent, awaited])) expect(answer).toMatchObject({ status: 201, body: Buffer.from('from the app') });
    expect(app.received).toHaveLength(1);
    await sender.settle();
    expect(await forwardsOf(api, capture)).toMatchObject([{ state: 'delivered', attempts: 1, status: 201 }]);
  });

  it('a forward a killed serve process was sending is sent by another instance once its lease runs out, not before', { timeout: FORWARD_TIMEOUT_MS + 90_000 }, async () => {
    const url = newPlace('postgres');
    const setup = await serve('postgres', url);
    const inbox = await addInbox(setup);
    // The first request is never answered: the process sending it dies holding it.
    const app = await startTarget((_req, n) => (n === 1 ? new Promise(() => undefined) : { status: 200, body: 'second try' }));
    await setup.invoke('inboxes.forward', { id: inbox.id, url: app.url });
    await setup.close();

    const victim = await startServeWith(['--database', url], { HOOKBENCH_SECRET_KEY: KEY.toString('base64') });
    onTestFinished(() => victim.stop('SIGKILL').then(() => undefined));
    const res = await fetch(`${victim.receiver}/in/${inbox.id}`, { method: 'POST', body: 'held by the dead' });
    expect(res.status).toBe(200);
    const capture = await captureOf(res);
    await waitUntil(
      async () => app.received.length,
      (n) => n === 1,
    );
    await victim.stop('SIGKILL');

    const other = await serve('postgres', url);
    const [claim] = await other.query<{ state: string; leaseEnd: number }>('SELECT state, claimed_until::float8 AS "leaseEnd" FROM inbox_forwards WHERE delivery_id = $1', [capture]);
    expect(claim).toMatchObject({ state: 'sending', leaseEnd: expect.any(Number) });
    const [done] = await waitForwards(other, capture, (f) => f[0]?.state === 'delivered', FORWARD_TIMEOUT_MS + 60_000);
    expect(done).toMatchObject({ attempts: 1, status: 200, body: 'second try' });
    expect(app.received.map((r) => r.body.toString())).toEqual(['held by the dead', 'held by the dead']);
    // Sent again only once the dead process's lease had run out.
    const [sentAgain] = await other.query<{ at: number }>('SELECT updated_at::float8 AS at FROM inbox_forwards WHERE delivery_id = $1', [capture]);
    expect(sentAgain!.at).toBeGreaterThanOrEqual(claim!.leaseEnd);
  });
});
