import { describe, expect, it } from 'vitest';
import type { InboxForwardTarget } from '../../src/shared/inbox-types';
import type { InboxCreated } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { startTarget } from '../helpers/forward-target';
import { servedSite } from '../helpers/served-site';
import { waitUntil } from '../helpers/wait-until';

const json = <T>(text: string) => JSON.parse(text) as T;

const startSite = engineSites();

// On both stores: the CLI on a data dir (beside a running serve where it says so), and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench inbox forward', () => {
    it('adds a target beside a running serve, which forwards and passes the answer back; delivery show has the answer; --remove stops it', async () => {
      const { cli } = await servedSite(startSite, kind);
      const app = await startTarget(() => ({ status: 201, headers: [['X-App', 'yes']], body: 'created' }));
      const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'shop', '--dialect', 'none', '--json')).stdout);

      const added = await cli(
        'inbox',
        'forward',
        inbox.id,
        '--to',
        `${app.url}/hooks`,
        '--events',
        'order.paid,order.created',
        '--path-rewrite',
        '/shop=>/',
        '--pass-back',
        '--retry',
        '2,20',
        '--json',
      );
      expect(added.code).toBe(0);
      expect(json<InboxForwardTarget[]>(added.stdout)).toEqual([{ url: `${app.url}/hooks`, events: ['order.paid', 'order.created'], pathRewrite: '/shop=>/', passBack: true, retrySeconds: [2, 20] }]);
      const show = await cli('inbox', 'show', inbox.id);
      expect(show.stdout).toContain(`forwards     ${app.url}/hooks  events order.paid,order.created  path /shop=>/  pass-back  retries 2, 20 s`);

      const res = await fetch(`${inbox.url}/shop/orders?id=7`, { method: 'POST', body: '{"type":"order.paid"}' });
      expect(res.status).toBe(201);
      expect(await res.text()).toBe('created');
      expect(app.received.map((r) => r.path)).toEqual(['/hooks/orders?id=7']);

      const captures = json<{ items: { id: number }[] }>((await cli('inbox', 'captures', inbox.id, '--json')).stdout).items;
      const shown = await waitUntil(
        () => cli('delivery', 'show', String(captures[0]!.id)),
        (r) => r.stdout.includes('delivered'),
      );
      expect(shown.stdout).toContain(`Forwarded to ${app.url}/hooks: delivered after 1 attempt, answered 201 in `);
      expect(shown.stdout).toContain('  X-App: yes');
      const asJson = json<{ forwards: { status: number; body: string }[] }>((await cli('delivery', 'show', String(captures[0]!.id), '--json')).stdout);
      expect(asJson.forwards).toMatchObject([{ state: 'delivered', status: 201, body: 'created' }]);

      const removed = await cli('inbox', 'forward', inbox.id, '--remove', `${app.url}/hooks`, '--json');
      expect(json<unknown[]>(removed.stdout)).toEqual([]);
      expect((await fetch(`${inbox.url}/shop`, { method: 'POST', body: '{"type":"order.paid"}' })).status).toBe(200);
    });

    it('says what is wrong with a target, and changes nothing', async () => {
      const { cli } = await startSite(kind);
      const inbox = json<InboxCreated>((await cli('inbox', 'add', '--name', 'x', '--dialect', 'none', '--json')).stdout);
      const neither = await cli('inbox', 'forward', inbox.id);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toMatch(/Give --to URL .* or --remove URL/);
      const rewrite = await cli('inbox', 'forward', inbox.id, '--to', 'http://localhost:3000', '--path-rewrite', 'stripe');
      expect(rewrite.stderr).toMatch(/should read FROM=>TO/);
      const scheme = await cli('inbox', 'forward', inbox.id, '--to', 'ftp://localhost/x');
      expect(scheme.stderr).toMatch(/must be an http or https URL/);
      await cli('inbox', 'forward', inbox.id, '--to', 'http://localhost:3000/a', '--pass-back');
      const second = await cli('inbox', 'forward', inbox.id, '--to', 'http://localhost:3001/b', '--pass-back');
      expect(second.stderr).toMatch(/already passes its answer back/);
      const loop = await cli('inbox', 'forward', inbox.id, '--to', `${inbox.url}/again`);
      expect(loop.stderr).toMatch(/this inbox's own address: each capture would be forwarded back into it/);
      const unknown = await cli('inbox', 'forward', inbox.id, '--remove', 'http://localhost:9/none');
      expect(unknown.stderr).toMatch(/forwards nothing to http:\/\/localhost:9\/none; its targets: http:\/\/localhost:3000\/a/);
      const targets = json<{ forwards: InboxForwardTarget[] }>((await cli('inbox', 'show', inbox.id, '--json')).stdout).forwards;
      expect(targets.map((t) => t.url)).toEqual(['http://localhost:3000/a']);
    });
  });
});
