import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplayPreview } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { githubHeaders, githubTagDelete, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const REPO_ID = 42;

const startSite = engineSites();

async function setup(kind: EngineKind) {
  const { engine, receiverUrl, cli } = await startSite(kind);
  const pkg = await addPackage(engine, 'github', REPO_ID);
  const hookUrl = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  const sink = await startSink(() => ({ status: 204 }));
  const endpoint = (name: string, events: string[]) => engine.invoke('endpoints.add', { name, url: sink.url, dialect: 'standard-webhooks', events });
  const deliver = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await post(hookUrl, body, await githubHeaders('push', body, pkg.secret));
    await engine.ingest.idle();
    return res.json.delivery as number;
  };
  const preview = (ref: string, options: Record<string, unknown>) => engine.invoke('replay.preview', { ref, ...options }) as Promise<ReplayPreview>;
  const edited = (payload: unknown) => ({ mode: 'edit', newId: true, bodyBase64: Buffer.from(JSON.stringify(payload)).toString('base64') });
  return { engine, cli, pkg, sink, endpoint, deliver, preview, edited };
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('a replay into this Hookbench says what it will set off before it is sent', () => {
    it('names the package, the release it publishes and how many endpoints hear of it, and that is what happens', async () => {
      const t = await setup(kind);
      await t.endpoint('shop', ['release.published']);
      await t.endpoint('audit', ['release.published', 'release.checks_failed']);
      const off = (await t.endpoint('paused', ['release.published'])) as { id: string };
      await t.engine.invoke('endpoints.disable', { id: off.id });
      await t.endpoint('other', ['package.created']);
      const id = await t.deliver(githubTagPush(REPO_ID, 'v1.0.0'));
      await waitUntil(
        async () => t.sink.received.length,
        (n) => n >= 2,
      );

      const preview = await t.preview(String(id), t.edited(githubTagPush(REPO_ID, 'v2.0.0')));
      expect(preview.effect).toMatchObject({ packageId: t.pkg.id, outcome: 'publishes', event: 'release.published', endpoints: 2 });
      expect(preview.effect!.text).toBe('This will be ingested by package octo/widgets: tag v2.0.0 publishes release 2.0.0 and sends release.published to 2 active endpoints.');
      expect(t.sink.received).toHaveLength(2);

      const before = t.sink.received.length;
      await t.engine.invoke('replay.run', { ref: String(id), ...t.edited(githubTagPush(REPO_ID, 'v2.0.0')) });
      await t.engine.ingest.idle();
      await waitUntil(
        async () => t.sink.received.length,
        (n) => n >= before + 2,
      );
    });

    it('says when nothing happens: a repeated delivery id, a tag already ingested, a bad signature', async () => {
      const t = await setup(kind);
      const id = await t.deliver(githubTagPush(REPO_ID, 'v1.0.0'));
      const again = await t.preview(String(id), { mode: 'exact' });
      expect(again.effect).toMatchObject({ outcome: 'duplicate', endpoints: 0 });
      expect(again.effect!.text).toMatch(new RegExp(`already has delivery id .* \\(delivery #${id}\\): it is recorded as a duplicate and nothing is ingested or sent`));

      const fresh = await t.preview(String(id), { mode: 'exact', newId: true });
      expect(fresh.effect).toMatchObject({ outcome: 'unchanged' });
      expect(fresh.effect!.text).toContain('tag v1.0.0 was already ingested');

      const forged = await t.preview(String(id), { mode: 'resign', newId: true, secret: 'not the hook secret' });
      expect(forged.effect).toMatchObject({ outcome: 'rejected' });
      expect(forged.effect!.text).toMatch(/will be refused: .*Nothing is ingested or sent\./);

      const deleting = await t.preview(String(id), t.edited(githubTagDelete(REPO_ID, 'v1.0.0')));
      expect(deleting.effect).toMatchObject({ outcome: 'tag_deleted', event: 'release.tag_deleted', endpoints: 0 });
      expect(deleting.effect!.text).toContain('marks release 1.0.0 tag-deleted');

      const duplicateVersion = await t.preview(String(id), t.edited(githubTagPush(REPO_ID, '1.0.0')));
      expect(duplicateVersion.effect).toMatchObject({ outcome: 'checks_failed', event: 'release.checks_failed' });
      expect(duplicateVersion.effect!.text).toContain('fails not-already-published and is not published');
    });

    it('says nothing of the kind for a replay to a URL', async () => {
      const t = await setup(kind);
      const id = await t.deliver(githubTagPush(REPO_ID, 'v1.0.0'));
      expect((await t.preview(String(id), { mode: 'exact', to: t.sink.url })).effect).toBeNull();
    });

    it('prints the same sentence in replay --dry-run', async () => {
      const t = await setup(kind);
      await t.endpoint('shop', ['release.published']);
      const id = await t.deliver(githubTagPush(REPO_ID, 'v1.0.0'));
      const body = join(tempDataDir(), 'tag.json');
      writeFileSync(body, JSON.stringify(githubTagPush(REPO_ID, 'v1.1.0')));
      const dry = await t.cli('replay', String(id), '--package', t.pkg.id, '--body-file', body, '--new-id', '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout.split('\n')[0]).toBe('This will be ingested by package octo/widgets: tag v1.1.0 publishes release 1.1.0 and sends release.published to 1 active endpoint.');
    });
  });
});
