import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { getDialect } from '../../src/main/engine/dialects';
import type { DeliveryDetail, InboxCreated, ReplayPreview, ReplayView } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteEngine } from '../helpers/engine-sites';
import { startSink } from '../helpers/sink';

type Engine = SiteEngine;

/** A raw request: fetch will not send a body with PROPFIND's kind of method exactly as given. */
function rawRequest(url: string, method: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const BODY = Buffer.from('{"type":"invoice.paid","data":{"id":"in_1"}}');
const detail = async (engine: Engine, id: number) => (await engine.invoke('deliveries.get', { id })) as DeliveryDetail;

const startSite = engineSites();

/** An inbox with one signed PROPFIND capture at a sub-path with a query. */
async function captured(kind: EngineKind) {
  const { engine, receiverUrl } = await startSite(kind);
  const inbox = (await engine.invoke('inboxes.add', { name: 'svix', dialect: 'standard-webhooks' })) as InboxCreated;
  const signed = getDialect('standard-webhooks').sign(BODY, inbox.secret!, { timestamp: Math.floor(Date.now() / 1000), id: 'msg_1' });
  const status = await rawRequest(`${receiverUrl}/in/${inbox.id}/dav/a?x=1&y=%2F`, 'PROPFIND', { 'content-type': 'application/json', ...signed.headers }, BODY);
  expect(status).toBe(200);
  const capture = await detail(engine, 1);
  expect(capture).toMatchObject({ method: 'PROPFIND', path: '/dav/a?x=1&y=%2F', verdict: 'valid' });
  return { engine, inbox, signed };
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('replaying an inbox capture', () => {
    it('to a URL keeps its method, and its path and query after the URL’s own, byte for byte', async () => {
      const { engine, signed } = await captured(kind);
      const sink = await startSink();
      const preview = (await engine.invoke('replay.preview', { ref: '1', mode: 'exact', to: `${sink.url}/hooks?from=hb` })) as ReplayPreview;
      expect(preview.targetUrl).toBe(`${sink.url}/hooks/dav/a?from=hb&x=1&y=%2F`);
      expect(preview.notes).toContain('Sent with the method it was captured with: PROPFIND.');

      const replay = (await engine.invoke('replay.run', { ref: '1', mode: 'exact', to: `${sink.url}/hooks?from=hb` })) as ReplayView;
      expect(replay.status).toBe(200);
      expect(replay.targetUrl).toBe(`${sink.url}/hooks/dav/a?from=hb&x=1&y=%2F`);
      const got = sink.received[0]!;
      expect(got.method).toBe('PROPFIND');
      expect(got.path).toBe('/hooks/dav/a?from=hb&x=1&y=%2F');
      expect(got.body.equals(BODY)).toBe(true);
      expect(got.header('webhook-signature')).toBe(signed.headers['webhook-signature']);

      // Edited and re-signed for the URL, it still goes with its method and path.
      await engine.invoke('replay.run', {
        ref: '1',
        mode: 'edit',
        to: sink.url,
        bodyBase64: Buffer.from('{"edited":true}').toString('base64'),
        dialect: 'standard-webhooks',
        secret: 'whsec_' + Buffer.from('another secret, 24 bytes').toString('base64'),
      });
      expect(sink.received[1]).toMatchObject({ method: 'PROPFIND', path: '/dav/a?x=1&y=%2F' });
      expect(sink.received[1]!.body.toString()).toBe('{"edited":true}');
    });

    it('without a target goes back into its own inbox with its method and path, and verifies there', async () => {
      const { engine, inbox } = await captured(kind);
      const exact = (await engine.invoke('replay.run', { ref: '1', mode: 'exact' })) as ReplayView;
      expect(exact.targetUrl).toBe(`hookbench:/in/${inbox.id}/dav/a?x=1&y=%2F`);
      expect(exact.status).toBe(200);
      // A new row (PostgreSQL's ids may skip a number where SQLite's do not).
      expect(exact.deliveryId).toBeGreaterThan(1);
      // Same event id: kept, and marked as a repeat of the first, as a sender's retry would be.
      expect(await detail(engine, exact.deliveryId!)).toMatchObject({ hookId: inbox.id, method: 'PROPFIND', path: '/dav/a?x=1&y=%2F', source: 'replay', verdict: 'valid', duplicateOf: 1 });

      // Re-signed by default with the inbox's own dialect and secret: a fresh timestamp, still valid.
      const resigned = (await engine.invoke('replay.run', { ref: '1', mode: 'resign', newId: true })) as ReplayView;
      expect(await detail(engine, resigned.deliveryId!)).toMatchObject({ hookId: inbox.id, method: 'PROPFIND', verdict: 'valid' });
    });

    it('into another inbox by id, signed as that inbox checks; an unknown inbox or two targets are refused', async () => {
      const { engine } = await captured(kind);
      const stripe = (await engine.invoke('inboxes.add', { name: 'stripe', dialect: 'stripe' })) as InboxCreated;
      const replay = (await engine.invoke('replay.run', { ref: '1', mode: 'resign', inboxId: stripe.id })) as ReplayView;
      expect(await detail(engine, replay.deliveryId!)).toMatchObject({ hookId: stripe.id, method: 'PROPFIND', path: '/dav/a?x=1&y=%2F', verdict: 'valid' });

      const none = (await engine.invoke('inboxes.add', { name: 'plain', dialect: 'none' })) as InboxCreated;
      await expect(engine.invoke('replay.run', { ref: '1', mode: 'resign', inboxId: none.id })).rejects.toThrow(/checks no signature/);
      const exactIntoNone = (await engine.invoke('replay.run', { ref: '1', mode: 'exact', inboxId: none.id })) as ReplayView;
      expect(await detail(engine, exactIntoNone.deliveryId!)).toMatchObject({ hookId: none.id, verdict: 'unchecked' });
      await expect(engine.invoke('replay.run', { ref: '1', mode: 'exact', inboxId: 'in_nothere' })).rejects.toThrow(/No inbox with id in_nothere/);
      await expect(engine.invoke('replay.run', { ref: '1', mode: 'exact', inboxId: stripe.id, to: 'http://127.0.0.1:9/x' })).rejects.toThrow(/one target/);
    });
  });

  describe('exporting and importing inbox captures', () => {
    const exportAndImport = async (engine: Engine, format: 'har' | 'json') => {
      const { text } = (await engine.invoke('export.run', { format, ids: [1] })) as { text: string };
      return engine.invoke('import.upload', { name: `captures.${format === 'har' ? 'har' : 'jsonl'}`, contentBase64: Buffer.from(text).toString('base64') });
    };

    it('an imported capture goes back to its inbox, with its method and path, as a repeat of the one it copies', async () => {
      const { engine, inbox } = await captured(kind);
      await exportAndImport(engine, 'json');
      await exportAndImport(engine, 'har');
      const captures = (await engine.invoke('inboxes.captures', { id: inbox.id, limit: 10 })) as { id: number; source: string; method: string; path: string }[];
      expect(captures.map((c) => [c.id, c.source, c.method, c.path])).toEqual([
        [3, 'import', 'PROPFIND', '/dav/a?x=1&y=%2F'],
        [2, 'import', 'PROPFIND', '/dav/a?x=1&y=%2F'],
        [1, 'direct', 'PROPFIND', '/dav/a?x=1&y=%2F'],
      ]);
      // The bundle keeps the event id: the import is a repeat of the capture it copies.
      expect(await detail(engine, 2)).toMatchObject({ duplicateOf: 1, outcome: 'duplicate' });
      const har = await detail(engine, 3);
      expect(har).toMatchObject({ outcome: 'captured', verdict: 'unchecked' });
      expect(Buffer.from(har.bodyBase64, 'base64').equals(BODY)).toBe(true);

      // Replayed from the import, it keeps them too.
      const replay = (await engine.invoke('replay.run', { ref: '3', mode: 'exact' })) as ReplayView;
      expect(replay.targetUrl).toBe(`hookbench:/in/${inbox.id}/dav/a?x=1&y=%2F`);
    });

    it('captures of an inbox that is gone come in as plain imports, method and path kept', async () => {
      const { engine, inbox } = await captured(kind);
      const { text } = (await engine.invoke('export.run', { format: 'json', ids: [1] })) as { text: string };
      await engine.invoke('inboxes.remove', { id: inbox.id });
      await engine.invoke('import.upload', { name: 'captures.jsonl', contentBase64: Buffer.from(text).toString('base64') });
      const [row] = (await engine.invoke('deliveries.list', { limit: 10 })) as { hookId: string; method: string; path: string; outcome: string }[];
      expect(row).toMatchObject({ method: 'PROPFIND', path: '/dav/a?x=1&y=%2F', outcome: 'ignored' });
      expect(row!.hookId).not.toBe(inbox.id);
    });
  });
});
