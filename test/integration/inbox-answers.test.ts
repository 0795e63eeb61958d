import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { InboxAnswer } from '../../src/shared/inbox-types';
import type { AttemptView, DeliveryDetail, DeliverySummary, EndpointSecret, InboxCreated, InboxSummary, SignedRequest } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';

type Engine = SiteEngine;

const addInbox = async (engine: Engine, dialect: string) => (await engine.invoke('inboxes.add', { name: 'in', dialect })) as InboxCreated;
const capturesOf = async (engine: Engine, id: string) => (await engine.invoke('inboxes.captures', { id, limit: 100 })) as DeliverySummary[];
const respond = async (engine: Engine, params: Record<string, unknown>) => (await engine.invoke('inboxes.respond', params)) as InboxAnswer;

interface Answer {
  status: number;
  /** Raw header pairs, in order. */
  headers: string[];
  body: string;
  at: number;
}

/** One request; resolves with the answer, or rejects when the connection ends without one. */
function send(url: string, body: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, ...(signal ? { signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.rawHeaders, body: Buffer.concat(chunks).toString(), at: Date.now() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A Standard Webhooks request for event `id`, signed with `secret` (the same id sent again is the same event). */
async function signed(engine: Engine, secret: string, id: string, body = `{"type":"invoice.paid","n":"${id}"}`) {
  const s = (await engine.invoke('signature.sign', {
    dialect: 'standard-webhooks',
    secret,
    bodyBase64: Buffer.from(body).toString('base64'),
    timestamp: Math.floor(Date.now() / 1000),
    id,
  })) as SignedRequest;
  return { body, headers: s.headers };
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inbox answers', () => {
    it('answers 2xx at once until told otherwise, and shows the answer it gives', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      expect(((await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary).answer).toMatchObject({ status: 200, delayMs: 0, hang: false, failFirst: null });
      expect(await send(inbox.url, '{}')).toMatchObject({ status: 200 });
      await respond(engine, { id: inbox.id, status: 418 });
      expect(((await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary).answer.status).toBe(418);
      expect((await send(inbox.url, '{}')).status).toBe(418);
      await respond(engine, { id: inbox.id, reset: true });
      expect((await send(inbox.url, '{}')).status).toBe(200);
      expect((await capturesOf(engine, inbox.id)).map((c) => c.statusCode)).toEqual([200, 418, 200]);
    });

    it('gives the programmed status, headers (in order, repeats kept) and body after its delay, the capture stored before', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      const delayMs = 3000;
      await respond(engine, {
        id: inbox.id,
        status: 503,
        headers: [
          ['Retry-After', '7'],
          ['X-Note', 'a, b'],
          ['X-Note', 'c'],
        ],
        body: 'try later\n',
        delayMs,
      });
      const sentAt = Date.now();
      let answered = false;
      const answer = send(inbox.url, '{"n":1}').finally(() => (answered = true));
      const [capture] = await waitUntil(
        () => capturesOf(engine, inbox.id),
        (list) => list.length === 1,
      );
      // Stored, with the status it is about to get, while the sender still waits for it.
      expect(answered).toBe(false);
      expect(capture).toMatchObject({ statusCode: 503, outcome: 'captured' });
      const got = await answer;
      expect(got.at - sentAt).toBeGreaterThanOrEqual(delayMs);
      expect(got.status).toBe(503);
      expect(got.body).toBe('try later\n');
      const pairs = got.headers.reduce<[string, string][]>((all, v, i) => (i % 2 === 0 ? [...all, [v, got.headers[i + 1]!]] : all), []);
      expect(pairs.filter(([k]) => /^(retry-after|x-note|content-type)$/i.test(k))).toEqual([
        ['content-type', 'text/plain; charset=utf-8'],
        ['Retry-After', '7'],
        ['X-Note', 'a, b'],
        ['X-Note', 'c'],
      ]);
    });

    it('fails only the first N arrivals of each event, repeats included, then answers 200', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'standard-webhooks');
      await respond(engine, { id: inbox.id, status: 500, failFirst: 2 });
      const first = await signed(engine, inbox.secret!, 'msg_one');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await send(inbox.url, first.body, first.headers)).status);
      expect(statuses).toEqual([500, 500, 200, 200]);
      const other = await signed(engine, inbox.secret!, 'msg_two');
      expect((await send(inbox.url, other.body, other.headers)).status).toBe(500);
      // Each capture keeps the status it was answered, repeats too.
      const stored = (await capturesOf(engine, inbox.id)).reverse();
      expect(stored.map((c) => [c.outcome, c.statusCode])).toEqual([
        ['captured', 500],
        ['duplicate', 500],
        ['duplicate', 200],
        ['duplicate', 200],
        ['captured', 500],
      ]);
    });

    it('fails a share of arrivals at random', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      await respond(engine, { id: inbox.id, status: 502, failRatio: 1 });
      expect((await send(inbox.url, 'a')).status).toBe(502);
      await respond(engine, { id: inbox.id, status: 502, failRatio: 0 });
      expect((await send(inbox.url, 'b')).status).toBe(200);
      await respond(engine, { id: inbox.id, status: 502, failRatio: 0.5 });
      const seen = new Set<number>();
      for (let i = 0; i < 40; i++) seen.add((await send(inbox.url, String(i))).status);
      expect([...seen].sort()).toEqual([200, 502]);
    });

    it('holds the connection open unanswered until the sender gives up, the capture stored first', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      await respond(engine, { id: inbox.id, hang: true });
      const giveUp = new AbortController();
      const pending = send(inbox.url, '{"slow":true}', {}, giveUp.signal);
      const [capture] = await waitUntil(
        () => capturesOf(engine, inbox.id),
        (list) => list.length === 1,
      );
      expect(capture).toMatchObject({ statusCode: 0, outcome: 'captured' });
      giveUp.abort();
      await expect(pending).rejects.toThrow(/abort/i);
    });

    it('closes a held connection itself at its cap, so a sender that never gives up holds no socket', async () => {
      const { engine } = await startSite(kind, { receiverLimits: { holdOpenMs: 300 } });
      const inbox = await addInbox(engine, 'none');
      await respond(engine, { id: inbox.id, hang: true });
      await expect(send(inbox.url, '{}')).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(await capturesOf(engine, inbox.id)).toMatchObject([{ statusCode: 0 }]);
    });

    it("holds the first try past a sender's timeout, so the sender retries, then answers 200", async () => {
      const { engine, receiverUrl } = await startSite(kind, { retryDelayScale: 0.01 });
      const inbox = await addInbox(engine, 'standard-webhooks');
      await respond(engine, { id: inbox.id, hang: true, failFirst: 1 });
      const ep = (await engine.invoke('endpoints.add', {
        name: 'svix',
        url: `${receiverUrl}/in/${inbox.id}`,
        dialect: 'standard-webhooks',
        events: ['release.published'],
        secret: inbox.secret!,
        timeoutMs: 300,
      })) as EndpointSecret;
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      const attempts = await waitUntil(
        async () => (await engine.invoke('endpoints.attempts', { id: ep.id, limit: 10 })) as AttemptView[],
        (list) => list.some((a) => a.succeeded),
      );
      expect(attempts.map((a) => [a.attemptNo, a.status]).sort()).toEqual([
        [1, null],
        [2, 200],
      ]);
      expect((await capturesOf(engine, inbox.id)).map((c) => [c.outcome, c.statusCode])).toEqual([
        ['duplicate', 200],
        ['captured', 0],
      ]);
    });

    it('refuses an answer it could not give, with the reason, and keeps the one it has', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      await respond(engine, { id: inbox.id, status: 500, failFirst: 1 });
      const refused: [Record<string, unknown>, RegExp][] = [
        [{ status: 101 }, /not a final answer/],
        [{ hang: true, status: 500 }, /takes no status/],
        [{ headers: [['Content-Length', '5']] }, /cannot set Content-Length/],
        [{ headers: [['Bad Name', 'x']] }, /not a valid HTTP header/],
        [{ headers: [['X-Split', 'a\r\nSet-Cookie: b']] }, /not a valid HTTP header/],
        [{ reset: true, status: 500 }, /give it alone/],
      ];
      for (const [params, reason] of refused) await expect(respond(engine, { id: inbox.id, ...params })).rejects.toThrow(reason);
      expect(((await engine.invoke('inboxes.get', { id: inbox.id })) as InboxSummary).answer).toMatchObject({ status: 500, failFirst: 1, headers: [] });
      await expect(respond(engine, { id: 'in_nobody', status: 500 })).rejects.toThrow(/No inbox with id in_nobody/);
    });

    it('stores the answer given with each capture, shown in its detail', async () => {
      const { engine } = await startSite(kind);
      const inbox = await addInbox(engine, 'none');
      await respond(engine, { id: inbox.id, status: 429 });
      await send(inbox.url, '{}');
      const [capture] = await capturesOf(engine, inbox.id);
      expect(((await engine.invoke('deliveries.get', { id: capture!.id })) as DeliveryDetail).statusCode).toBe(429);
    });
  });
});
