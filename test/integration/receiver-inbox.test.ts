import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { dialectNames, getDialect } from '../../src/main/engine/dialects';
import type { DeliveryDetail, DeliverySummary, Diagnosis, EndpointSecret, InboxCreated, InboxSummary, MessageView, SignedRequest } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';

type Engine = SiteEngine;

const addInbox = async (engine: Engine, params: Record<string, unknown>) => (await engine.invoke('inboxes.add', { name: 'in', ...params })) as InboxCreated;
const capturesOf = async (engine: Engine, id: string) => (await engine.invoke('inboxes.captures', { id, limit: 100 })) as DeliverySummary[];
const detail = async (engine: Engine, id: number) => (await engine.invoke('deliveries.get', { id })) as DeliveryDetail;

/** A raw request (fetch refuses methods like PROPFIND with a body and rewrites some headers). */
function rawRequest(url: string, method: string, headers: [string, string][], body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    // Given as a list, headers go out exactly so (order, case, repeats), and Host must be among them.
    const flat = [['Host', target.host], ...headers].flat();
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers: flat }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('inboxes', () => {
    it('makes each dialect its own kind of secret, and shows it once', async () => {
      const { engine } = await startSite(kind);
      expect((await addInbox(engine, { dialect: 'standard-webhooks' })).secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect((await addInbox(engine, { dialect: 'stripe' })).secret).toMatch(/^whsec_[0-9a-f]+$/);
      expect((await addInbox(engine, { dialect: 'repsy' })).secret).toMatch(/^[A-Za-z0-9_-]+$/);
      expect((await addInbox(engine, { dialect: 'github' })).secret).toMatch(/^[0-9a-f]{64}$/);
      const none = await addInbox(engine, { dialect: 'none' });
      expect(none.secret).toBeNull();
      expect(none.url).toMatch(new RegExp(`/in/${none.id}$`));
      await expect(engine.invoke('inboxes.add', { name: 'x', dialect: 'smoke-signals' })).rejects.toThrow(/Unknown dialect "smoke-signals"/);
      await expect(engine.invoke('inboxes.add', { name: 'x', dialect: 'standard-webhooks', secret: 'whsec_short' })).rejects.toThrow(/Not a Standard Webhooks \(Svix\) secret/);
      const listed = JSON.stringify(await engine.invoke('inboxes.list', {}));
      expect(listed).not.toContain('whsec_');
      expect((await engine.invoke('inboxes.list', {})) as InboxSummary[]).toHaveLength(5);
    });

    it('captures any method, sub-path, query and body exactly, and keeps headers in order with repeats', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = await addInbox(engine, { dialect: 'none' });
      const binary = Buffer.from([0, 255, 254, 0x80, 10, 13, 0xc3]);
      const headers: [string, string][] = [
        ['Content-Type', 'application/octet-stream'],
        ['X-Twice', 'one'],
        ['x-twice', 'two'],
        ['Content-Length', String(binary.length)],
      ];
      const propfind = await rawRequest(`${receiverUrl}/in/${inbox.id}/dav/a%20b/?depth=1&x=%2F`, 'PROPFIND', headers, binary);
      expect(propfind).toMatchObject({ status: 200, json: { ok: true, verdict: 'unchecked' } });
      const empty = await rawRequest(`${receiverUrl}/in/${inbox.id}`, 'DELETE', [], Buffer.alloc(0));
      expect(empty.status).toBe(200);
      const query = await rawRequest(`${receiverUrl}/in/${inbox.id}?only=query`, 'GET', [], Buffer.alloc(0));
      expect(query.status).toBe(200);

      const [third, second, first] = await capturesOf(engine, inbox.id);
      expect(first).toMatchObject({ method: 'PROPFIND', path: '/dav/a%20b/?depth=1&x=%2F', outcome: 'captured', verdict: 'unchecked', packageId: null, bodySize: binary.length });
      const full = await detail(engine, first!.id);
      expect(Buffer.from(full.bodyBase64, 'base64').equals(binary)).toBe(true);
      expect(full.headers.filter(([name]) => name.toLowerCase() !== 'connection')).toEqual([['Host', new URL(receiverUrl).host], ...headers]);
      expect(second).toMatchObject({ method: 'DELETE', path: '', bodySize: 0 });
      expect(third).toMatchObject({ method: 'GET', path: '?only=query', bodySize: 0 });
    });

    it('answers 404 to an unknown inbox and stores nothing', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const res = await rawRequest(`${receiverUrl}/in/in_nobody/x`, 'POST', [], Buffer.from('{}'));
      expect(res).toMatchObject({ status: 404, json: { error: 'unknown_inbox' } });
      expect(await engine.invoke('deliveries.count', {})).toEqual({ count: 0 });
    });

    it('refuses a body over the cap with a reason, keeping only its first bytes', async () => {
      const { engine, receiverUrl } = await startSite(kind, { bodyLimit: 1024 });
      const inbox = await addInbox(engine, { dialect: 'none' });
      const res = await rawRequest(`${receiverUrl}/in/${inbox.id}`, 'PUT', [], Buffer.alloc(4096, 1));
      expect(res).toMatchObject({ status: 413, json: { error: 'payload_too_large' } });
      const [capture] = await capturesOf(engine, inbox.id);
      expect(capture).toMatchObject({ method: 'PUT', outcome: 'rejected', statusCode: 413, bodySize: 4096 });
    });

    it('removes an inbox with its captures; its address is unknown from then on', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = await addInbox(engine, { dialect: 'none' });
      await rawRequest(`${receiverUrl}/in/${inbox.id}`, 'POST', [], Buffer.from('a'));
      expect(await engine.invoke('inboxes.remove', { id: inbox.id })).toEqual({ removed: true, captures: 1 });
      expect((await rawRequest(`${receiverUrl}/in/${inbox.id}`, 'POST', [], Buffer.from('a'))).status).toBe(404);
      expect(await engine.invoke('deliveries.count', {})).toEqual({ count: 0 });
    });

    // Hookbench's own dispatcher, as a sender of each dialect, into an inbox of the same dialect.
    it.each(dialectNames)('verifies what its own %s dispatcher sends', async (dialect) => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = await addInbox(engine, { dialect });
      const event = getDialect(dialect).events[0]!.name;
      const ep = (await engine.invoke('endpoints.add', { name: 'self', url: `${receiverUrl}/in/${inbox.id}/from-dispatcher?x=1`, dialect, events: [event], secret: inbox.secret! })) as EndpointSecret;
      await engine.invoke('endpoints.trigger', { id: ep.id, event });
      const [capture] = await waitUntil(
        () => capturesOf(engine, inbox.id),
        (list) => list.length === 1,
      );
      expect(capture).toMatchObject({ method: 'POST', path: '/from-dispatcher?x=1', verdict: 'valid', outcome: 'captured', statusCode: 200 });
    });

    it('records a wrong secret as invalid, with its diagnosis', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = await addInbox(engine, { dialect: 'standard-webhooks' });
      const wrong = getDialect('standard-webhooks').generateSecret();
      const ep = (await engine.invoke('endpoints.add', {
        name: 'stranger',
        url: `${receiverUrl}/in/${inbox.id}`,
        dialect: 'standard-webhooks',
        events: ['release.published'],
        secret: wrong,
      })) as EndpointSecret;
      await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' });
      const [capture] = await waitUntil(
        () => capturesOf(engine, inbox.id),
        (list) => list.length === 1,
      );
      expect(capture).toMatchObject({ verdict: 'invalid', outcome: 'captured', statusCode: 200 });
      expect(capture!.outcomeReason).toMatch(/^Signature invalid: /);
      const diagnosis = (await engine.invoke('deliveries.diagnose', { id: capture!.id })) as Diagnosis;
      expect(diagnosis).toMatchObject({ cause: 'wrong_secret', matchedSecret: 'the secret of endpoint "stranger"' });
      expect(diagnosis.explanation).toMatch(/not this inbox\u2019s secret/);
      expect(JSON.stringify(diagnosis)).not.toContain(wrong);
    });

    it("holds a signed timestamp to the dialect's tolerance, or to the inbox's own", async () => {
      const { engine } = await startSite(kind);
      const strict = await addInbox(engine, { dialect: 'standard-webhooks' });
      const lenient = await addInbox(engine, { dialect: 'standard-webhooks', secret: strict.secret!, toleranceSeconds: 7200 });
      const body = '{"type":"invoice.paid"}';
      const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
      const signed = (await engine.invoke('signature.sign', {
        dialect: 'standard-webhooks',
        secret: strict.secret!,
        bodyBase64: Buffer.from(body).toString('base64'),
        timestamp: anHourAgo,
        id: 'msg_1',
      })) as SignedRequest;
      for (const inbox of [strict, lenient]) {
        const res = await rawRequest(inbox.url, 'POST', Object.entries(signed.headers), Buffer.from(body));
        expect(res.status).toBe(200);
      }
      const [stale] = await capturesOf(engine, strict.id);
      expect(stale).toMatchObject({ verdict: 'invalid', outcome: 'captured' });
      expect(((await engine.invoke('deliveries.diagnose', { id: stale!.id })) as Diagnosis).cause).toBe('timestamp');
      const [accepted] = await capturesOf(engine, lenient.id);
      expect(accepted).toMatchObject({ verdict: 'valid' });
      // The diagnosis holds the capture to the same tolerance the inbox did.
      expect(((await engine.invoke('deliveries.diagnose', { id: accepted!.id })) as Diagnosis).verdict).toBe('valid');
    });

    // A repeat is the same event sent again (same id, or for senders without one, the same bytes); another event is not.
    it.each(['standard-webhooks', 'stripe', 'repsy', 'slack', 'shopify', 'github', 'gitea', 'privato', 'sigmagit'] as const)(
      'marks a %s resend as a repeat of the first capture, and a new event as new',
      async (dialect) => {
        const { engine, receiverUrl } = await startSite(kind);
        const inbox = await addInbox(engine, { dialect });
        // An engine event: each message is a new event with its own id (the catalogue's samples repeat theirs).
        const event = 'release.published';
        const ep = (await engine.invoke('endpoints.add', { name: 'self', url: `${receiverUrl}/in/${inbox.id}`, dialect, events: [event], secret: inbox.secret! })) as EndpointSecret;
        const first = (await engine.invoke('endpoints.trigger', { id: ep.id, event })) as MessageView;
        await waitUntil(
          () => capturesOf(engine, inbox.id),
          (list) => list.length === 1,
        );
        await engine.dispatcher.settle();
        await engine.invoke('messages.resend', { id: first.id });
        const [again, original] = await waitUntil(
          () => capturesOf(engine, inbox.id),
          (list) => list.length === 2,
        );
        expect(original).toMatchObject({ verdict: 'valid', outcome: 'captured' });
        expect(again).toMatchObject({ verdict: 'valid', outcome: 'duplicate', statusCode: 200 });
        expect(again!.outcomeReason).toContain(`A repeat of capture #${original!.id}`);
        expect((await detail(engine, again!.id)).duplicateOf).toBe(original!.id);
        // Sigmagit sends no id: the same tag pushed again is the same bytes, which is all that can tell.
        if (dialect === 'sigmagit') return;
        await engine.invoke('endpoints.trigger', { id: ep.id, event });
        const [fresh] = await waitUntil(
          () => capturesOf(engine, inbox.id),
          (list) => list.length === 3,
        );
        expect(fresh).toMatchObject({ verdict: 'valid', outcome: 'captured' });
      },
    );

    it('captures an 8 KB path with its query exactly', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = await addInbox(engine, { dialect: 'none' });
      const longPath = '/' + 'p'.repeat(8 * 1024) + '?q=' + 'z'.repeat(100);
      expect((await rawRequest(`${receiverUrl}/in/${inbox.id}${longPath}`, 'POST', [], Buffer.from('x'))).status).toBe(200);
      expect(await capturesOf(engine, inbox.id)).toMatchObject([{ path: longPath }]);
    });

    it('exports a capture with its own method, path and query (HAR and cURL)', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = await addInbox(engine, { dialect: 'none' });
      await rawRequest(`${receiverUrl}/in/${inbox.id}/dav/x?depth=1`, 'PROPFIND', [], Buffer.from('<propfind/>'));
      const [capture] = await capturesOf(engine, inbox.id);
      const har = (await engine.invoke('export.run', { format: 'har', ids: [capture!.id] })) as { text: string };
      const entry = (JSON.parse(har.text) as { log: { entries: { request: { method: string; url: string; queryString: unknown[] } }[] } }).log.entries[0]!;
      expect(entry.request).toMatchObject({ method: 'PROPFIND', url: `${receiverUrl}/in/${inbox.id}/dav/x?depth=1`, queryString: [{ name: 'depth', value: '1' }] });
      const curl = (await engine.invoke('export.run', { format: 'curl', ids: [capture!.id] })) as { text: string };
      expect(curl.text).toContain(`curl -X PROPFIND '${receiverUrl}/in/${inbox.id}/dav/x?depth=1'`);
    });
  });
});
