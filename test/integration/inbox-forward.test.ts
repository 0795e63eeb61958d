import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { InboxForwardResult } from '../../src/shared/inbox-types';
import type { CapturedView, InboxCreated, InboxSummary } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { freePort, startTarget } from '../helpers/forward-target';
import { waitUntil } from '../helpers/wait-until';

type Engine = SiteEngine;

const addInbox = async (engine: Engine, dialect = 'standard-webhooks') => (await engine.invoke('inboxes.add', { name: 'fwd', dialect })) as InboxCreated;
const forwardsOf = async (engine: Engine, capture: number) => ((await engine.invoke('captured.get', { ref: `delivery:${capture}` })) as CapturedView).forwards;
const waitForwards = (engine: Engine, capture: number, done: (f: InboxForwardResult[]) => boolean) => waitUntil(() => forwardsOf(engine, capture), done);

/** A Standard Webhooks request signed by the `standardwebhooks` library itself. */
function signed(secret: string, body: string, id: string) {
  const at = new Date();
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) };
}

/** Sends raw header lines (order and repeats as given) and returns the status and the answer. */
function sendRaw(url: string, method: string, lines: string[], body: Buffer): Promise<{ status: number; headers: string[]; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers: ['Host', target.host, ...lines, 'Content-Length', String(body.length)] }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inbox forwarding', () => {
    it('passes the exact bytes, method, rewritten path, query and headers on; the local app verifies the original signature', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine);
      const secret = inbox.secret!;
      const app = await startTarget((req) => {
        // The app checks the signature as it would behind the provider, on what it received.
        const headers = Object.fromEntries(req.headers.map(([k, v]) => [k.toLowerCase(), v]));
        try {
          new Webhook(secret).verify(req.body.toString('utf8'), headers);
          return { status: 204 };
        } catch (error) {
          return { status: 400, body: (error as Error).message };
        }
      });
      await engine.invoke('inboxes.forward', { id: inbox.id, url: `${app.url}/base?app=1`, pathRewrite: '/hooks=>/api' });

      // Spacing and key order a re-serializer would change; the signature covers these bytes only.
      const body = '{ "type":"user.created",  "data":{"id":1,"name":"Zoë"} }';
      const signature = Object.entries(signed(secret, body, 'msg_fwd1'));
      const lines = [
        'Content-Type',
        'application/json',
        'Authorization',
        'Bearer app-token',
        'X-Trace',
        'one',
        ...signature.flat(),
        'X-Trace',
        'two',
        'Connection',
        'keep-alive, X-Drop',
        'X-Drop',
        'hop',
      ];
      const answer = await sendRaw(`${inbox.url}/hooks/sw?x=1&y=2`, 'PUT', lines, Buffer.from(body));
      expect(answer.status).toBe(200);
      const capture = (JSON.parse(answer.body) as { capture: number }).capture;

      const [forward] = await waitForwards(engine, capture, (f) => f[0]?.state === 'delivered');
      expect(forward).toMatchObject({ url: `${app.url}/base?app=1`, state: 'delivered', attempts: 1, status: 204, error: null, nextAttemptAt: null });
      expect(app.received).toHaveLength(1);
      const got = app.received[0]!;
      expect(got.method).toBe('PUT');
      expect(got.path).toBe('/base/api/sw?app=1&x=1&y=2');
      expect(got.body.equals(Buffer.from(body))).toBe(true);
      // The sender's headers in their order with repeats; the connection's own (Host, Content-Length,
      // Connection and what it names) are the forward's.
      const own = new Set(['host', 'content-length', 'connection', 'x-drop']);
      expect(got.headers.filter(([k]) => !own.has(k.toLowerCase()))).toEqual([
        ['Content-Type', 'application/json'],
        // A credential is sealed where it is stored, and sent as it came.
        ['Authorization', 'Bearer app-token'],
        ['X-Trace', 'one'],
        ...signature,
        ['X-Trace', 'two'],
      ]);
      expect(got.headers.find(([k]) => k === 'Host')?.[1]).toBe(new URL(app.url).host);
      expect(got.headers.find(([k]) => k.toLowerCase() === 'x-drop')).toBeUndefined();

      const shown = (await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary;
      expect(shown.forwards).toEqual([{ url: `${app.url}/base?app=1`, events: [], pathRewrite: '/hooks=>/api', passBack: false, retrySeconds: [1, 5, 30, 120, 600, 1800, 3600] }]);
    });

    it('forwards only the events a target takes', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      const app = await startTarget();
      await engine.invoke('inboxes.forward', { id: inbox.id, url: app.url, events: ['invoice.paid'] });
      const post = async (type: string) => ((await (await fetch(inbox.url, { method: 'POST', body: JSON.stringify({ type }) })).json()) as { capture: number }).capture;
      const skipped = await post('customer.created');
      const taken = await post('invoice.paid');
      await waitForwards(engine, taken, (f) => f[0]?.state === 'delivered');
      expect(await forwardsOf(engine, skipped)).toEqual([]);
      expect(app.received.map((r) => JSON.parse(r.body.toString()) as unknown)).toEqual([{ type: 'invoice.paid' }]);
    });

    it('retries a failing target on its schedule until it takes the capture', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      const app = await startTarget((_req, n) => (n < 3 ? { status: 503, body: 'restarting' } : { status: 200, body: 'thanks' }));
      await engine.invoke('inboxes.forward', { id: inbox.id, url: app.url, retrySeconds: [1, 1] });
      const seen: [number, InboxForwardResult][] = [];
      engine.bus.subscribe((e) => {
        if (e.type === 'forward') seen.push([e.deliveryId, e.forward]);
      });
      const delivered = engine.bus.waitFor((e): e is PushEvent => e.type === 'forward' && e.forward.state === 'delivered');
      const res = (await (await fetch(`${inbox.url}/x`, { method: 'POST', body: 'hello' })).json()) as { capture: number };
      await delivered;
      // Each attempt is told as it is recorded: two failures, each with its next attempt, then the success.
      expect(seen.map(([id, f]) => [id, f.state, f.attempts, f.status, f.body])).toEqual([
        [res.capture, 'pending', 1, 503, 'restarting'],
        [res.capture, 'pending', 2, 503, 'restarting'],
        [res.capture, 'delivered', 3, 200, 'thanks'],
      ]);
      expect(seen[0]![1]).toMatchObject({ error: 'HTTP 503. Next attempt in 1 s.', nextAttemptAt: expect.any(Number) });
      expect(await forwardsOf(engine, res.capture)).toMatchObject([{ state: 'delivered', attempts: 3, status: 200, body: 'thanks', error: null, nextAttemptAt: null }]);
      expect(app.received.map((r) => r.body.toString())).toEqual(['hello', 'hello', 'hello']);
    });

    it('a slow target (5 s) holds back no acknowledgement: every capture is answered before it answers once', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // Takes 5 s to answer, and not before the test has counted the acknowledgements.
      const app = await startTarget(() => Promise.all([delay(5_000), released]).then(() => ({ status: 200 })));
      await engine.invoke('inboxes.forward', { id: inbox.id, url: app.url });
      expect((await fetch(inbox.url, { method: 'POST', body: 'first' })).status).toBe(200);
      // Its forward is out, waiting on the slow target…
      await waitUntil(
        async () => app.received.length,
        (n) => n >= 1,
      );
      // …while N more captures arrive together: each is acknowledged.
      const N = 20;
      const statuses = await Promise.all(Array.from({ length: N }, (_, i) => fetch(`${inbox.url}/${i}`, { method: 'POST', body: `capture ${i}` }).then((r) => r.status)));
      expect(statuses).toEqual(Array(N).fill(200));
      expect(app.answered()).toBe(0);
      release();
    });

    it('pass-back: the sender gets the target’s status, headers and body; without it, the inbox’s own answer', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      const app = await startTarget(() => ({
        status: 422,
        headers: [
          ['X-App', 'checked'],
          ['Content-Type', 'text/plain'],
        ],
        body: 'missing field: amount',
      }));
      await engine.invoke('inboxes.forward', { id: inbox.id, url: app.url, passBack: true });
      const res = await fetch(`${inbox.url}/pay`, { method: 'POST', body: '{"amount":null}' });
      expect(res.status).toBe(422);
      expect(res.headers.get('x-app')).toBe('checked');
      expect(await res.text()).toBe('missing field: amount');
      const captures = (await engine.invoke('inboxes.captures', { id: inbox.id })) as { statusCode: number }[];
      expect(captures[0]?.statusCode).toBe(422);

      await engine.invoke('inboxes.forward', { id: inbox.id, url: app.url, passBack: false });
      const plain = await fetch(`${inbox.url}/pay`, { method: 'POST', body: '{}' });
      expect(plain.status).toBe(200);
      expect(await plain.json()).toMatchObject({ ok: true });
    });

    it('pass-back falls back to the inbox’s own answer when the target does not answer in time', async () => {
      const { engine } = await startSite(kind, { passBackWaitMs: 300 });
      const inbox = await addInbox(engine, 'none');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const app = await startTarget(() => held.then(() => ({ status: 202 })));
      await engine.invoke('inboxes.forward', { id: inbox.id, url: app.url, passBack: true });
      const res = await fetch(inbox.url, { method: 'POST', body: 'x' });
      expect(res.status).toBe(200);
      const { capture } = (await res.json()) as { capture: number };
      release();
      await waitForwards(engine, capture, (f) => f[0]?.state === 'delivered');
      expect(app.received).toHaveLength(1);
    });

    it('pass-back answers 502, saying why, when the target cannot be reached; the forward is retried', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      await engine.invoke('inboxes.forward', { id: inbox.id, url: `http://127.0.0.1:${await freePort()}/app`, passBack: true, retrySeconds: [600] });
      const res = await fetch(inbox.url, { method: 'POST', body: 'x' });
      expect(res.status).toBe(502);
      const answer = (await res.json()) as { error: string; reason: string; capture: number };
      expect(answer).toMatchObject({ error: 'forward_failed', reason: expect.stringContaining('ECONNREFUSED') });
      const [pending] = await waitForwards(engine, answer.capture, (f) => (f[0]?.attempts ?? 0) >= 1);
      expect(pending).toMatchObject({ state: 'pending', attempts: 1, status: null });
    });

    it('resumes after a restart: a forward waiting for its retry is sent by the next start', async () => {
      const port = await freePort();
      const site = await startSite(kind);
      const first = site.engine;
      const inbox = await addInbox(first, 'none');
      await first.invoke('inboxes.forward', { id: inbox.id, url: `http://127.0.0.1:${port}/app`, retrySeconds: [1] });
      const { capture } = (await (await fetch(inbox.url, { method: 'POST', body: 'kept' })).json()) as { capture: number };
      const [refused] = await waitForwards(first, capture, (f) => (f[0]?.attempts ?? 0) >= 1);
      expect(refused).toMatchObject({ state: 'pending', status: null, error: expect.stringContaining('ECONNREFUSED') });
      await site.close();

      const app = await startTarget(() => ({ status: 200 }), port);
      const second = (await startSite(kind, { at: site.place })).engine;
      const [done] = await waitForwards(second, capture, (f) => f[0]?.state === 'delivered');
      expect(done).toMatchObject({ attempts: 2, status: 200 });
      expect(app.received.map((r) => [r.path, r.body.toString()])).toEqual([['/app', 'kept']]);
    });

    it('a forward left mid-send is sent again: handed back by a stopping serve, or taken back once a dead one’s claim runs out', async () => {
      const site = await startSite(kind);
      const first = site.engine;
      const inbox = await addInbox(first, 'none');
      let answer = false;
      // Holds the first forward unanswered until the engine sending it has stopped.
      const app = await startTarget(() => (answer ? { status: 200 } : new Promise(() => undefined)));
      await first.invoke('inboxes.forward', { id: inbox.id, url: app.url });
      const { capture } = (await (await fetch(inbox.url, { method: 'POST', body: 'in flight' })).json()) as { capture: number };
      await waitUntil(
        async () => app.received.length,
        (n) => n >= 1,
      );
      await site.close();
      answer = true;

      const next = await startSite(kind, { at: site.place, workers: false });
      const second = next.engine;
      expect(await forwardsOf(second, capture)).toMatchObject([{ state: 'pending', attempts: 0 }]);
      // As a process killed mid-send leaves it: claimed, its lease already over.
      await next.sql("UPDATE inbox_forwards SET state = 'sending', claimed_until = $1 WHERE delivery_id = $2", [Date.now() - 1, capture]);
      await next.startWorkers();
      const [done] = await waitForwards(second, capture, (f) => f[0]?.state === 'delivered');
      expect(done).toMatchObject({ attempts: 1, status: 200 });
      expect(app.received.map((r) => r.body.toString())).toEqual(['in flight', 'in flight']);
    });

    it('two processes forwarding from one store (data dir or database) never send the same capture twice', async () => {
      const siteA = await startSite(kind, { workers: false });
      const siteB = await startSite(kind, { at: siteA.place, workers: false });
      const a = siteA.engine;
      const app = await startTarget(() => delay(20).then(() => ({ status: 200 })));
      const inbox = await addInbox(a, 'none');
      await a.invoke('inboxes.forward', { id: inbox.id, url: app.url });
      const M = 40;
      const ids: number[] = [];
      for (let i = 0; i < M; i++) ids.push(((await (await fetch(inbox.url, { method: 'POST', body: `#${i}` })).json()) as { capture: number }).capture);
      // Both start together over the same queue.
      await Promise.all([siteA.startWorkers(), siteB.startWorkers()]);
      await waitUntil(
        async () => Promise.all(ids.map((id) => forwardsOf(a, id))),
        (all) => all.every((f) => f[0]?.state === 'delivered'),
      );
      const bodies = app.received.map((r) => r.body.toString()).sort();
      expect(bodies).toEqual(Array.from({ length: M }, (_, i) => `#${i}`).sort());
    });
  });
});
