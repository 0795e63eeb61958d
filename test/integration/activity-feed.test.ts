import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { bundledMigrations, migrate } from '../../src/main/engine/db/migrate';
import type { ActivityEntry, EndpointSecret, MessageView, ReplayView } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli } from '../helpers/serve-process';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

type Engine = SiteEngine;

const feed = async (engine: Engine, packageId?: string) => ((await engine.invoke('activity.list', { limit: 100, ...(packageId ? { packageId } : {}) })) as ActivityEntry[]).reverse();

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('the activity feed', () => {
    it('records what happens to endpoints: added, disabled, enabled, secret rotated, disabled automatically, resent, removed', async () => {
      const { engine } = await startSite(kind);
      const gone = await startSink(() => ({ status: 410 }));
      const ep = (await engine.invoke('endpoints.add', { name: 'shop', url: `${gone.url}?token=abc`, dialect: 'standard-webhooks', events: ['release.published'] })) as EndpointSecret;
      await engine.invoke('endpoints.disable', { id: ep.id, reason: 'Maintenance window.' });
      await engine.invoke('endpoints.enable', { id: ep.id });
      await engine.invoke('endpoints.rotateSecret', { id: ep.id, overlapSeconds: 60 });
      const sample = (await engine.invoke('endpoints.trigger', { id: ep.id, event: 'release.published' })) as MessageView;
      await gone.waitFor(1);
      await engine.dispatcher.settle();
      await waitUntil(
        async () => (await feed(engine)).map((a) => a.kind),
        (kinds) => kinds.includes('endpoint_auto_disabled'),
      );
      await engine.invoke('messages.resend', { id: sample.id });
      await engine.invoke('endpoints.remove', { id: ep.id });

      const entries = await feed(engine);
      expect(entries.map((a) => [a.kind, a.message])).toEqual([
        ['endpoint_added', `Endpoint shop added: standard-webhooks to ${gone.url}/, for release.published.`],
        ['endpoint_disabled', 'Endpoint shop disabled: Maintenance window.'],
        ['endpoint_enabled', 'Endpoint shop enabled.'],
        ['endpoint_secret_rotated', expect.stringMatching(/^Endpoint shop: signing secret rotated; the previous one also signs until \d{4}-.*Z\.$/)],
        ['endpoint_auto_disabled', 'Endpoint shop disabled automatically: The endpoint answered 410 Gone.'],
        ['resent', `Message ${sample.messageId} (release.published) to endpoint shop queued to send again.`],
        ['endpoint_removed', 'Endpoint shop removed, with its messages and attempts.'],
      ]);
      // The URL's query can carry a token: the feed leaves it out.
      expect(JSON.stringify(entries)).not.toContain('token=abc');
    });

    it('records replays, into a package with the delivery they made, and to a URL', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const pkg = await addPackage(engine, 'github', 42);
      const body = JSON.stringify(githubTagPush(42, 'v1.0.0'));
      const res = await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, pkg.secret));
      const id = res.json.delivery as number;
      const sink = await startSink(() => ({ status: 204 }));
      const into = (await engine.invoke('replay.run', { ref: String(id), mode: 'exact', newId: true })) as ReplayView;
      await engine.invoke('replay.run', { ref: String(id), mode: 'exact', to: sink.url });
      const replays = (await feed(engine)).filter((a) => a.kind === 'replayed');
      expect(replays).toEqual([
        expect.objectContaining({
          packageId: pkg.id,
          packageName: 'octo/widgets',
          deliveryId: into.deliveryId,
          message: `delivery:${id} replayed (exact) into this package's receiver: answered 202, stored as delivery #${into.deliveryId}.`,
        }),
        expect.objectContaining({ packageId: null, message: `delivery:${id} replayed (exact) to ${sink.url}/: answered 204.` }),
      ]);
    });

    it('keeps a removed package\u2019s name on its entries, in the API and the CLI', async () => {
      const { engine, receiverUrl, place } = await startSite(kind);
      const pkg = await addPackage(engine, 'github', 42, 'octo/gadgets');
      const body = JSON.stringify(githubTagPush(42, 'v1.0.0'));
      await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, pkg.secret));
      await engine.ingest.idle();
      await engine.invoke('packages.remove', { id: pkg.id });
      const entries = await feed(engine, pkg.id);
      expect(entries.map((a) => a.kind)).toEqual(['package_added', 'hook_verified', 'ingested', 'package_removed']);
      expect(entries.every((a) => a.packageName === 'octo/gadgets')).toBe(true);

      // The CLI's own reading of a data dir (a team server's is read through --server, as any other list).
      if (!('dataDir' in place)) return;
      const cli = await runCli(['activity', '--data-dir', place.dataDir]);
      const lines = cli.stdout.split('\n').filter((l) => l.includes('package_removed') || l.includes('ingested'));
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toContain('removed package octo/gadgets');
      expect(cli.stdout).not.toContain(pkg.id);
    });

    it('names packages on entries written before names were kept, removed ones included', () => {
      const dir = tempDataDir();
      const db = new Database(join(dir, DATABASE_FILE));
      const before = bundledMigrations.filter((m) => m.tag !== '0008_activity_package_name');
      migrate(db, before);
      db.prepare("INSERT INTO packages (id, name, provider, repo_full_name, repo_id, created_at) VALUES ('pkg_live', 'octo/live', 'github', 'octo/live', '1', 0)").run();
      const add = db.prepare('INSERT INTO activity (at, package_id, kind, message) VALUES (0, ?, ?, ?)');
      add.run('pkg_live', 'ingested', 'Release 1.0.0 ingested from tag v1.0.0 and published.');
      add.run('pkg_gone', 'package_added', 'Package octo/gone added for github repository octo/gone (id 2).');
      add.run('pkg_gone', 'ingested', 'Release 2.0.0 ingested from tag v2.0.0 and published.');
      add.run(null, 'tunnel_created', 'Tunnel created.');
      migrate(db);
      const names = db.prepare('SELECT package_id AS id, package_name AS name FROM activity ORDER BY rowid').all();
      db.close();
      expect(names).toEqual([
        { id: 'pkg_live', name: 'octo/live' },
        { id: 'pkg_gone', name: 'octo/gone' },
        { id: 'pkg_gone', name: 'octo/gone' },
        { id: null, name: null },
      ]);
    });
  });
});
