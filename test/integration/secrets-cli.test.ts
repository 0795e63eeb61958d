import { describe, expect, it } from 'vitest';
import type { ActivityEntry, EndpointSecret } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { addPackage, post } from '../helpers/engine';
import { gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';

const PROJECT_ID = 15;

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database (through --server).
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench CLI: credentials stay hidden', () => {
    it('shows a GitLab token hidden in delivery show, replay --dry-run and fixtures, and reveals it on request with an activity entry', async () => {
      const { engine, receiverUrl, cli } = await startSite(kind);
      const pkg = await addPackage(engine, 'gitlab', PROJECT_ID, 'jsmith/example');
      const res = await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, JSON.stringify(gitlabTagPush(PROJECT_ID, 'v1.0.0')), gitlabHeaders('Tag Push Hook', pkg.secret));
      const id = String(res.json.delivery);
      const noSecret = (text: string) => {
        expect(text).not.toContain(pkg.secret);
        expect(text).not.toContain(pkg.signingToken);
      };

      const shown = await cli('delivery', 'show', id);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('x-gitlab-token: (hidden)');
      expect(shown.stdout).toContain('--reveal shows them');
      noSecret(shown.stdout);
      noSecret((await cli('delivery', 'show', id, '--json')).stdout);

      const sink = await startSink(() => ({ status: 204 }));
      const dry = await cli('replay', id, '--to', sink.url, '--dry-run');
      expect(dry.stdout).toContain('x-gitlab-token: (hidden)');
      noSecret(dry.stdout);

      expect((await cli('fixture', 'save', id, '--name', 'tag')).code).toBe(0);
      const fixture = await cli('fixture', 'show', '1');
      expect(fixture.stdout).toContain('x-gitlab-token: (hidden)');
      noSecret(fixture.stdout);
      expect((await cli('fixture', 'show', '1', '--reveal')).stdout).toContain(`x-gitlab-token: ${pkg.secret}`);
      const fired = await cli('fixture', 'fire', '1', '--to', sink.url);
      expect(fired.stdout).toContain('x-gitlab-token: (hidden)');
      noSecret(fired.stdout);
      // What went out is the token itself, byte for byte.
      expect(sink.received[0]!.header('x-gitlab-token')).toBe(pkg.secret);

      const revealed = await cli('delivery', 'show', id, '--reveal');
      expect(revealed.stdout).toContain(`x-gitlab-token: ${pkg.secret}`);
      const activity = (JSON.parse((await cli('activity', '--limit', '5', '--json')).stdout) as { items: ActivityEntry[] }).items;
      expect(activity.filter((a) => a.kind === 'secret_revealed').map((a) => [a.kind, a.message])).toEqual([
        ['secret_revealed', `Secret header x-gitlab-token of delivery #${id} revealed from the CLI.`],
        ['secret_revealed', 'Secret header x-gitlab-token of fixture #1 revealed from the CLI.'],
      ]);
    });

    it('lists and shows an endpoint URL with its password and token hidden', async () => {
      const { cli } = await startSite(kind);
      const url = 'https://hooks:pa55word-xyz@example.com/in?access_token=tok-98765&x=1';
      const added = await cli('endpoint', 'add', '--name', 'creds', '--url', url, '--dialect', 'privato', '--events', 'release.published', '--json');
      expect(added.code).toBe(0);
      const { id } = JSON.parse(added.stdout) as EndpointSecret;
      for (const out of [await cli('endpoint', 'list'), await cli('endpoint', 'show', id), await cli('endpoint', 'show', id, '--json')]) {
        expect(out.stdout).not.toMatch(/pa55word-xyz|tok-98765/);
      }
      expect((await cli('endpoint', 'show', id)).stdout).toContain('https://hooks:(hidden)@example.com/in?access_token=(hidden)&x=1');
    });
  });
});
