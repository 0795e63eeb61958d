import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { getDialect } from '../../src/main/engine/dialects';
import type { DeliveryDetail, FixtureDetail, FixtureSummary, InboxCreated, ImportResult, ReplayView } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { servedSite } from '../helpers/served-site';

/** A raw request: the method and target go out exactly as given, body and all. */
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

const json = <T>(text: string) => JSON.parse(text) as T;
// Not valid UTF-8 on purpose: the bytes must come back as they went in.
const BODY = Buffer.concat([Buffer.from('{"type":"file.locked","data":{"id":"f_1"}}'), Buffer.from([0xc3, 0x28, 0x0a])]);

/** Signs BODY as a Standard Webhooks sender would, for this inbox. */
const signedFor = (inbox: InboxCreated, id = 'msg_1') => getDialect('standard-webhooks').sign(BODY, inbox.secret!, { timestamp: Math.floor(Date.now() / 1000), id });

const startSite = engineSites();

// On both stores: the CLI on a data dir (beside a running serve where it says so), and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('a fixture saved from an inbox capture', () => {
    it('fired back at the inbox over HTTP arrives with the same method, path, query and bytes (CLI beside serve)', async () => {
      const { cli } = await servedSite(startSite, kind);
      const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'dav', '--dialect', 'standard-webhooks', '--json')).stdout);
      const status = await rawRequest(`${inbox.url}/a/b?x=1`, 'PROPFIND', { 'content-type': 'application/json', ...signedFor(inbox).headers }, BODY);
      expect(status).toBe(200);

      const saved = await cli('fixture', 'save', '1', '--name', 'propfind', '--json');
      expect(saved.code).toBe(0);
      expect(json<FixtureDetail>(saved.stdout)).toMatchObject({ id: 1, method: 'PROPFIND', path: '/a/b?x=1' });
      expect(json<FixtureSummary[]>((await cli('fixture', 'list', '--json')).stdout)).toMatchObject([{ id: 1, method: 'PROPFIND', path: '/a/b?x=1' }]);
      expect((await cli('fixture', 'list')).stdout).toMatch(/REQUEST[\s\S]*PROPFIND \/a\/b\?x=1/);
      expect((await cli('fixture', 'show', '1')).stdout).toContain('Sent as PROPFIND /a/b?x=1');

      // At the inbox's own URL, through the receiver's HTTP port: the path goes after the address.
      const fired = await cli('fixture', 'fire', '1', '--to', inbox.url, '--json');
      expect(fired.code).toBe(0);
      expect(json<{ status: number; targetUrl: string }>(fired.stdout)).toMatchObject({ status: 200, method: 'PROPFIND', targetUrl: `${inbox.url}/a/b?x=1` });
      const capture = json<DeliveryDetail>((await cli('delivery', 'show', '2', '--json')).stdout);
      expect(capture).toMatchObject({ hookId: inbox.id, method: 'PROPFIND', path: '/a/b?x=1', verdict: 'valid' });
      expect(Buffer.from(capture.bodyBase64, 'base64').equals(BODY)).toBe(true);

      // Into the inbox by id, without a URL: the same request line.
      const intoInbox = await cli('fixture', 'fire', '1', '--inbox', inbox.id);
      expect(intoInbox.code).toBe(0);
      // The record of the send says how it went, not a POST it never was.
      expect(intoInbox.stdout).toContain(`Replay #2 of fixture:1 (exact) → PROPFIND hookbench:/in/${inbox.id}/a/b?x=1`);
      const again = json<DeliveryDetail>((await cli('delivery', 'show', '3', '--json')).stdout);
      expect(again).toMatchObject({ hookId: inbox.id, method: 'PROPFIND', path: '/a/b?x=1' });
      expect(Buffer.from(again.bodyBase64, 'base64').equals(BODY)).toBe(true);

      const twoTargets = await cli('fixture', 'fire', '1', '--inbox', inbox.id, '--to', inbox.url);
      expect(twoTargets.code).toBe(2);
      expect(twoTargets.stderr).toContain('Give one target');
    });

    it('keeps its method and path through an edited copy, a bundle and an import; an older bundle imports as a plain POST', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const inbox = (await engine.invoke('inboxes.add', { name: 'dav', dialect: 'standard-webhooks' })) as InboxCreated;
      expect(await rawRequest(`${receiverUrl}/in/${inbox.id}/a/b?x=1`, 'PROPFIND', { 'content-type': 'application/json', ...signedFor(inbox).headers }, BODY)).toBe(200);
      await engine.invoke('fixtures.save', { ref: '1', name: 'propfind' });
      const copy = (await engine.invoke('fixtures.save', { ref: 'fixture:1', name: 'edited', edits: { bodyBase64: Buffer.from('{"edited":true}').toString('base64') } })) as FixtureDetail;
      expect(copy).toMatchObject({ method: 'PROPFIND', path: '/a/b?x=1' });
      // The copy fired into the inbox, re-signed as the inbox checks: its own body, the original request line.
      const fired = (await engine.invoke('fixtures.fire', { id: copy.id, inboxId: inbox.id, mode: 'resign' })) as { replay: ReplayView };
      const capture = (await engine.invoke('deliveries.get', { id: fired.replay.deliveryId! })) as DeliveryDetail;
      expect(capture).toMatchObject({ method: 'PROPFIND', path: '/a/b?x=1', verdict: 'valid' });
      expect(Buffer.from(capture.bodyBase64, 'base64').toString()).toBe('{"edited":true}');

      const { text } = (await engine.invoke('export.run', { format: 'json', ids: [1] })) as { text: string };
      const records = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.filter((r) => r.kind === 'fixture')).toMatchObject([
        { name: 'propfind', method: 'PROPFIND', path: '/a/b?x=1' },
        { name: 'edited', method: 'PROPFIND', path: '/a/b?x=1' },
      ]);

      const other = (await startSite(kind)).engine;
      const upload = (name: string, content: string) => other.invoke('import.upload', { name, contentBase64: Buffer.from(content).toString('base64') }) as Promise<ImportResult>;
      expect(await upload('captures.jsonl', text)).toMatchObject({ fixtures: 2 });
      // Written before fixtures kept their request line: no method, no path.
      const older = { kind: 'fixture', name: 'older', event: 'push', headers: [['Content-Type', 'application/json']], bodyBase64: Buffer.from('{}').toString('base64') };
      expect(await upload('older.jsonl', `${JSON.stringify({ format: 'hookbench-bundle', version: 1 })}\n${JSON.stringify(older)}\n`)).toMatchObject({ fixtures: 1 });
      const listed = (await other.invoke('fixtures.list', {})) as FixtureSummary[];
      expect(listed.map((f) => [f.name, f.method, f.path])).toEqual([
        ['older', null, null],
        ['edited', 'PROPFIND', '/a/b?x=1'],
        ['propfind', 'PROPFIND', '/a/b?x=1'],
      ]);

      // A path that could not have come after an inbox's address is refused, naming the field; nothing is imported.
      const bad = { ...older, name: 'bad', method: 'PUT', path: 'http://elsewhere/x' };
      await expect(upload('bad.jsonl', `${JSON.stringify({ format: 'hookbench-bundle', version: 1 })}\n${JSON.stringify(bad)}\n`)).rejects.toThrow(/path: must be a path after the inbox address/);
      expect(((await other.invoke('fixtures.list', {})) as FixtureSummary[]).map((f) => f.name)).not.toContain('bad');
    });

    it('from a package delivery or the library stays a plain POST', async () => {
      const { engine } = await startSite(kind);
      const library = (await engine.invoke('fixtures.library', {})) as { key: string }[];
      const saved = (await engine.invoke('fixtures.save', { libraryKey: library[0]!.key })) as FixtureDetail;
      expect(saved).toMatchObject({ method: null, path: null });
    });
  });
});
