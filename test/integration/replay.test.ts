import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { CapturedView, DeliveryDetail, ReplayPreview, DeliverySummary, ImportResult, Release, ReplayView } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post, startEngine } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind, type SiteEngine } from '../helpers/engine-sites';
import { harValidator } from '../helpers/har-schema';
import { gitlabHeaders, gitlabTagPush, githubHeaders, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

type Engine = SiteEngine;

const startSite = engineSites();

async function setup(kind: EngineKind) {
  const { engine, receiverUrl } = await startSite(kind);
  const pkg = await addPackage(engine, 'github', 42);
  const hookUrl = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  const deliver = async (tag: string, delivery?: string) => {
    const body = JSON.stringify(githubTagPush(42, tag), null, 2);
    const res = await post(hookUrl, body, await githubHeaders('push', body, pkg.secret, delivery));
    return res.json.delivery as number;
  };
  const replay = (ref: string, options: Record<string, unknown>) => engine.invoke('replay.run', { ref, ...options }) as Promise<ReplayView>;
  const get = (id: number) => engine.invoke('deliveries.get', { id }) as Promise<DeliveryDetail>;
  return { engine, pkg, receiverUrl, deliver, replay, get };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const releasesOf = async (engine: Engine, packageId: string) => (await engine.invoke('releases.list', { packageId })) as Release[];

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('replay', () => {
    it('replays exactly: the original bytes and signature verify at a sink with the original secret', async () => {
      const t = await setup(kind);
      const sink = await startSink();
      const id = await t.deliver('v1.0.0');
      const replay = await t.replay(String(id), { to: sink.url, mode: 'exact' });
      expect(replay).toMatchObject({ source: `delivery:${id}`, status: 200, mode: 'exact' });
      const [got] = sink.received;
      const original = await t.get(id);
      expect(sha(got!.body)).toBe(sha(Buffer.from(original.bodyBase64, 'base64')));
      expect(await verify(t.pkg.secret, got!.body.toString(), got!.header('x-hub-signature-256')!)).toBe(true);
      expect(got!.header('x-github-delivery')).toBe(original.providerDeliveryId);
    });

    it('previews exactly the request a send then sends, and refuses what the send would refuse', async () => {
      const t = await setup(kind);
      const sink = await startSink();
      const id = await t.deliver('v1.0.0');
      const options = { to: sink.url, mode: 'edit', bodyBase64: Buffer.from('{"edited":true}').toString('base64'), headers: [['X-Extra', 'yes']], dialect: 'github', secret: 's3cret' };
      const preview = (await t.engine.invoke('replay.preview', { ref: String(id), ...options })) as ReplayPreview;
      expect(preview).toMatchObject({ targetUrl: sink.url, signedAs: 'github', size: 15 });
      expect(sink.received).toHaveLength(0);
      await t.replay(String(id), options);
      const got = sink.received[0]!;
      expect(got.body.toString()).toBe(Buffer.from(preview.bodyBase64, 'base64').toString());
      // Every header the preview shows arrives as shown, the fresh signature included.
      for (const [k, v] of preview.headers) expect(got.header(k)).toBe(v);
      expect(preview.headers).toContainEqual(['X-Extra', 'yes']);
      await expect(t.engine.invoke('replay.preview', { ref: String(id), to: sink.url, mode: 'resign' })).rejects.toThrow(/needs the secret the receiver expects/);
    });

    it('re-signs in another dialect with a new secret and a fresh timestamp', async () => {
      const t = await setup(kind);
      const sink = await startSink();
      const id = await t.deliver('v1.0.0');
      const secret = 'whsec_' + Buffer.alloc(24, 9).toString('base64');
      await t.replay(String(id), { to: sink.url, mode: 'resign', dialect: 'standard-webhooks', secret, newId: true });
      const got = sink.received[0]!;
      const headers = Object.fromEntries(got.headers.map(([k, v]) => [k.toLowerCase(), v]));
      expect(() => new Webhook(secret).verify(got.body.toString(), headers)).not.toThrow();
      expect(headers['x-hub-signature-256']).toBeUndefined();
    });

    it('into its own receiver: a kept id is deduped, a new id is received, an edit is signed with the package secret', async () => {
      const t = await setup(kind);
      const id = await t.deliver('v1.0.0');
      await t.engine.ingest.idle();
      const kept = await t.replay(String(id), { mode: 'exact' });
      expect(kept.status).toBe(200);
      expect((await t.get(kept.deliveryId!)).outcome).toBe('duplicate');
      const fresh = await t.replay(String(id), { mode: 'exact', newId: true });
      expect(fresh.status).toBe(202);
      const edited = JSON.stringify(githubTagPush(42, 'v9.9.9'));
      const edit = await t.replay(String(id), { mode: 'edit', newId: true, bodyBase64: Buffer.from(edited).toString('base64'), secret: undefined, dialect: 'github' });
      expect(edit.status).toBe(202);
      await t.engine.ingest.idle();
      expect((await releasesOf(t.engine, t.pkg.id)).map((r) => r.tag)).toContain('v9.9.9');
      const d = await t.get(edit.deliveryId!);
      expect(d).toMatchObject({ source: 'replay', verdict: 'valid' });
      const list = (await t.engine.invoke('replay.list', { source: `delivery:${id}`, limit: 10 })) as ReplayView[];
      expect(list).toHaveLength(3);
    });
  });

  describe('fixtures', () => {
    it('saves a delivery, offers real GitHub examples, and fires them at a package, an endpoint and a URL', async () => {
      const t = await setup(kind);
      const sink = await startSink();
      const saved = (await t.engine.invoke('fixtures.save', { ref: String(await t.deliver('v1.0.0')), name: 'first tag' })) as { id: number; dialect: string };
      expect(saved.dialect).toBe('github');
      const library = (await t.engine.invoke('fixtures.library', {})) as { key: string; event: string; dialect: string }[];
      expect(library.filter((e) => e.dialect === 'github' && e.event === 'push').length).toBeGreaterThan(3);
      expect(new Set(library.map((e) => e.dialect)).size).toBe(10);
      const push = library.find((e) => e.key.startsWith('github-example/push/'))!;
      const example = (await t.engine.invoke('fixtures.save', { libraryKey: push.key })) as { id: number };

      const atPackage = (await t.engine.invoke('fixtures.fire', { id: example.id, packageId: t.pkg.id })) as { replay: ReplayView };
      expect((await t.get(atPackage.replay.deliveryId!)).verdict).toBe('valid');

      const ep = (await t.engine.invoke('endpoints.add', { name: 'sink', url: `${sink.url}/ep`, dialect: 'sigmagit', events: ['push'] })) as { id: string; secret: string };
      await t.engine.invoke('fixtures.fire', { id: saved.id, endpointId: ep.id });
      await t.engine.invoke('fixtures.fire', { id: saved.id, to: `${sink.url}/url` });
      await sink.waitFor(2);
      const atEndpoint = sink.received.find((r) => r.path === '/ep')!;
      expect(atEndpoint.header('x-sigmagit-signature')).toMatch(/^sha256=/);
      // What an attempt sent can be read back byte for byte, headers as sent.
      // The attempt is recorded once the answer is in, just after the sink saw the request.
      const [attempt] = await waitUntil(
        async () => (await t.engine.invoke('endpoints.attempts', { id: ep.id, limit: 1 })) as { id: number }[],
        (list) => list.length === 1,
      );
      const sent = (await t.engine.invoke('captured.get', { ref: `attempt:${attempt!.id}` })) as CapturedView;
      expect(Buffer.from(sent.bodyBase64, 'base64').equals(atEndpoint.body)).toBe(true);
      expect(sent.headers.find(([k]) => k.toLowerCase() === 'x-sigmagit-signature')?.[1]).toBe(atEndpoint.header('x-sigmagit-signature'));
      expect(sent.url).toBe(`${sink.url}/ep`);
      expect(sink.received.find((r) => r.path === '/url')!.header('x-hub-signature-256')).toMatch(/^sha256=/);
    });
  });

  describe('export and import', () => {
    it('round-trips through HAR and bundles byte for byte, and the HAR validates against HAR 1.2', async () => {
      const t = await setup(kind);
      await t.deliver('v1.0.0');
      const binary = Buffer.from([0, 255, 1, 254, 10, 13, 0x27, 0x5c]);
      await post(`${t.receiverUrl}/hooks/${t.pkg.hookUrl.split('/hooks/')[1]}`, binary, await githubHeaders('push', binary.toString('latin1'), 'x'));
      const originals = ((await t.engine.invoke('deliveries.list', {})) as DeliverySummary[]).reverse();
      const bodies = await Promise.all(originals.map(async (d) => sha(Buffer.from((await t.get(d.id)).bodyBase64, 'base64'))));

      const har = (await t.engine.invoke('export.run', { format: 'har' })) as { text: string };
      const check = harValidator()(JSON.parse(har.text));
      expect(check.errors).toBe('No errors');
      expect(check.valid).toBe(true);
      const bundle = (await t.engine.invoke('export.run', { format: 'json' })) as { text: string };

      for (const [name, text] of [
        ['x.har', har.text],
        ['x.bundle.json', bundle.text],
      ] as const) {
        const { engine } = await startSite(kind);
        const result = (await engine.invoke('import.upload', { name, contentBase64: Buffer.from(text).toString('base64') })) as ImportResult;
        expect(result.deliveries).toBe(2);
        const imported = ((await engine.invoke('deliveries.list', {})) as DeliverySummary[]).reverse();
        expect(imported.every((d) => d.source === 'import')).toBe(true);
        const details = await Promise.all(imported.map((d) => engine.invoke('deliveries.get', { id: d.id }) as Promise<DeliveryDetail>));
        expect(details.map((d) => sha(Buffer.from(d.bodyBase64, 'base64')))).toEqual(bodies);
        expect(details[0]!.headers.find(([k]) => k === 'x-hub-signature-256')).toEqual((await t.get(originals[0]!.id)).headers.find(([k]) => k === 'x-hub-signature-256'));
      }
    });

    it('imports an export holding a delivery and its repeat: the repeat comes back as a repeat of the first copy', async () => {
      const t = await setup(kind);
      const first = await t.deliver('v1.0.0', 'a-delivery-sent-twice');
      const again = await t.deliver('v1.0.0', 'a-delivery-sent-twice');
      expect((await t.get(again)).duplicateOf).toBe(first);

      for (const format of ['har', 'json'] as const) {
        const { text } = (await t.engine.invoke('export.run', { format, ids: [first, again] })) as { text: string };
        const { engine } = await startSite(kind);
        const result = (await engine.invoke('import.upload', { name: `x.${format}`, contentBase64: Buffer.from(text).toString('base64') })) as ImportResult;
        expect(result.deliveries).toBe(2);
        const listed = ((await engine.invoke('deliveries.list', {})) as DeliverySummary[]).reverse();
        const [copy, repeat] = await Promise.all(listed.map((d) => engine.invoke('deliveries.get', { id: d.id }) as Promise<DeliveryDetail>));
        expect(copy).toMatchObject({ source: 'import', outcome: 'ignored', duplicateOf: null });
        expect(repeat).toMatchObject({ source: 'import', outcome: 'duplicate', duplicateOf: copy!.id });
        expect(repeat!.outcomeReason).toContain(`a repeat of delivery #${copy!.id}`);
      }
    });

    it('never exports a GitLab token, and cURL keeps every byte', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const pkg = await addPackage(engine, 'gitlab', 15);
      await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, JSON.stringify(gitlabTagPush(15, 'v1.0.0')), gitlabHeaders('Tag Push Hook', pkg.secret));
      for (const format of ['har', 'curl', 'json']) {
        const out = (await engine.invoke('export.run', { format })) as { text: string };
        expect(out.text).not.toContain(pkg.secret);
        expect(out.text).toMatch(/redacted by Hookbench/);
      }
    });

    it('refuses a malformed HAR or bundle with the place that is wrong, importing nothing', async () => {
      const { engine } = await startSite(kind);
      const upload = (name: string, text: string) => engine.invoke('import.upload', { name, contentBase64: Buffer.from(text).toString('base64') });
      await expect(upload('bad.har', '{\n  "log": {\n    "version": "1.2",\n    "entries": [ }\n}')).rejects.toThrow(/line 4, column \d+/);
      await expect(
        upload('bad.har', JSON.stringify({ log: { version: '1.2', entries: [{ startedDateTime: 'x', request: { method: 'POST', url: 'u', headers: [{ name: 'a' }] } }] } })),
      ).rejects.toThrow(/entries\[0\]\.request\.headers\[0\]\.value/);
      const good = JSON.stringify({ kind: 'delivery', receivedAt: 1, headers: [], bodyBase64: 'e30=' });
      const bundle = [JSON.stringify({ format: 'hookbench-bundle', version: 1 }), good, good, JSON.stringify({ kind: 'delivery', receivedAt: 1, headers: [['a']], bodyBase64: '' })].join('\n');
      await expect(upload('bad.bundle', bundle)).rejects.toThrow(/line 4: headers\[0\]/);
      expect(await engine.invoke('deliveries.count', {})).toEqual({ count: 0 });
    });

    it('takes a file in pieces, in order, and imports it once whole; a piece out of place or an early finish is refused', async () => {
      const { engine } = await startSite(kind);
      const record = JSON.stringify({ kind: 'delivery', receivedAt: 1, headers: [['content-type', 'application/json']], bodyBase64: Buffer.from('{"n":1}').toString('base64') });
      const file = Buffer.from([JSON.stringify({ format: 'hookbench-bundle', version: 1 }), ...Array.from({ length: 50 }, () => record)].join('\n') + '\n');
      const { uploadId } = (await engine.invoke('import.begin', { name: 'pieces.jsonl', size: file.length })) as { uploadId: string };
      const piece = (from: number, to: number) => engine.invoke('import.chunk', { uploadId, offset: from, contentBase64: file.subarray(from, to).toString('base64') });
      const third = Math.ceil(file.length / 3);
      expect(await piece(0, third)).toEqual({ received: third });
      await expect(piece(2 * third, file.length)).rejects.toThrow(new RegExp(`has ${third} bytes; a piece at offset ${2 * third} does not follow on`));
      await expect(engine.invoke('import.finish', { uploadId })).rejects.toThrow(new RegExp(`has ${third} of ${file.length} bytes`));
      await piece(third, 2 * third);
      await piece(2 * third, file.length);
      expect(await engine.invoke('import.finish', { uploadId })).toEqual({ format: 'bundle', deliveries: 50, fixtures: 0 });
      expect(await engine.invoke('deliveries.count', {})).toEqual({ count: 50 });
      // Finished uploads are gone, file and all.
      await expect(engine.invoke('import.finish', { uploadId })).rejects.toThrow(/No upload .* under way/);

      const dropped = (await engine.invoke('import.begin', { name: 'dropped.jsonl', size: 10 })) as { uploadId: string };
      expect(await engine.invoke('import.cancel', { uploadId: dropped.uploadId })).toEqual({ cancelled: true });
      await expect(engine.invoke('import.chunk', { uploadId: dropped.uploadId, offset: 0, contentBase64: 'AAAA' })).rejects.toThrow(/No upload/);
    });
  });
});

// The import's batches as the CLI runs them on a data dir.
describe('import from a file', () => {
  it('imports a large bundle in batches, reporting progress', async () => {
    const { engine } = await startEngine();
    const dir = tempDataDir();
    const path = join(dir, 'big.bundle');
    const record = JSON.stringify({ kind: 'delivery', receivedAt: 1, headers: [['content-type', 'application/json']], bodyBase64: Buffer.from('{"x":"' + 'y'.repeat(2000) + '"}').toString('base64') });
    writeFileSync(path, [JSON.stringify({ format: 'hookbench-bundle', version: 1 }), ...Array.from({ length: 3000 }, () => record)].join('\n'));
    const progress: number[] = [];
    const off = engine.bus.subscribe((e) => {
      if (e.type === 'progress') progress.push(e.done);
    });
    const { importFile } = await import('../../src/main/engine/replay/import');
    const result = await importFile(engine.db, path, (done) => engine.bus.publish({ type: 'progress', task: 'import', done, total: 3000 }));
    off();
    expect(result).toEqual({ format: 'bundle', deliveries: 3000, fixtures: 0 });
    expect(progress.at(-1)).toBe(3000);
    expect(progress.length).toBeGreaterThanOrEqual(6);
  });
});
