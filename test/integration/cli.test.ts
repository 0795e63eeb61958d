import { describe, expect, it } from 'vitest';
import { servedSite } from '../helpers/served-site';
import { githubHeaders } from '../helpers/payloads';
import type { PackageCreated } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';

const json = <T>(text: string) => JSON.parse(text) as T;

const startSite = engineSites();

// Every behaviour on both stores: the CLI on a data dir, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench CLI', () => {
    it('prints help and refuses unknown commands and options with a clear message', async () => {
      const { cli } = await startSite(kind, { workers: false });
      const help = await cli('--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('package add --provider github|gitlab');
      const unknown = await cli('frobnicate');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown command "frobnicate"');
      const badOption = await cli('package', 'list', '--colour');
      expect(badOption.code).toBe(2);
      expect(badOption.stderr).toMatch(/--colour/);
    });

    it('adds, lists, shows and removes packages, showing the secret only once', async () => {
      const { cli } = await startSite(kind, { workers: false });
      const added = await cli('package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42', '--json');
      expect(added.code).toBe(0);
      const created = json<PackageCreated>(added.stdout);
      expect(created.hookUrl).toMatch(/\/hooks\/hk_[A-Za-z0-9_-]{32}$/);
      const list = await cli('package', 'list', '--json');
      expect(json<{ id: string }[]>(list.stdout).map((p) => p.id)).toEqual([created.id]);
      expect(list.stdout).not.toContain(created.secret);
      const show = await cli('package', 'show', created.id);
      expect(show.stdout).toContain('octo/widgets');
      expect(show.stdout).not.toContain(created.secret);
      expect((await cli('package', 'remove', created.id)).code).toBe(0);
      const gone = await cli('package', 'show', created.id, '--json');
      expect(gone.code).toBe(1);
      expect(json<{ error: { code: string } }>(gone.stderr).error.code).toBe('not_found');
    });

    it('works beside a running serve: a package added by the CLI receives at once, and delivery show prints the raw request', async () => {
      const server = await servedSite(startSite, kind);
      const created = json<PackageCreated>((await server.cli('package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42', '--json')).stdout);
      expect(created.hookUrl.startsWith(server.receiverUrl)).toBe(true);
      const body = JSON.stringify({ ref: 'refs/tags/v1.0.0', after: 'a'.repeat(40), repository: { id: 42 }, head_commit: { id: 'a'.repeat(40) } });
      const res = await fetch(created.hookUrl, {
        method: 'POST',
        body,
        headers: await githubHeaders('push', body, created.secret),
      });
      expect(res.status).toBe(202);
      const { delivery } = (await res.json()) as { delivery: number };
      const shown = await server.cli('delivery', 'show', String(delivery));
      expect(shown.stdout).toContain('x-github-event: push');
      expect(shown.stdout).toContain(body);
      // Ingest runs in the server after the answer; the CLI sees its result in the shared database.
      const releases = await waitUntil(
        async () => json<{ items: { version: string; status: string }[] }>((await server.cli('release', 'list', '--package', created.id, '--json')).stdout).items,
        (list) => list.length > 0,
      );
      expect(releases).toMatchObject([{ version: '1.0.0', status: 'published' }]);
      if (server.stop) expect(await server.stop()).toBe(0);
    });
  });
});
