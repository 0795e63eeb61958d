import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeliverySummary, InboxCreated, InboxSummary } from '../../src/shared/types';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { servedSite } from '../helpers/served-site';

const json = <T>(text: string) => JSON.parse(text) as T;

const startSite = engineSites();

// On both stores: the CLI on a data dir (beside a running serve where it says so), and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('hookbench inbox', () => {
    it('adds an inbox beside a running serve, which captures and verifies at once; lists, shows and removes it', async () => {
      const { cli, receiverUrl } = await servedSite(startSite, kind);
      const added = await cli('inbox', 'add', '--name', 'payments', '--dialect', 'stripe', '--tolerance', '600', '--json');
      expect(added.code).toBe(0);
      const created = json<InboxCreated>(added.stdout);
      expect(created.url).toBe(`${receiverUrl}/in/${created.id}`);
      expect(created.secret).toMatch(/^whsec_/);

      // Signed as Stripe signs: t=<unix>,v1=HMAC(whole whsec_ string, "<t>.<body>").
      const body = '{"id":"evt_1","type":"charge.succeeded"}';
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac('sha256', created.secret!).update(`${t}.${body}`).digest('hex');
      const res = await fetch(`${created.url}/stripe/events?live=0`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` } });
      expect(res.status).toBe(200);

      const captures = json<{ items: DeliverySummary[] }>((await cli('inbox', 'captures', created.id, '--json')).stdout).items;
      expect(captures).toMatchObject([{ method: 'POST', path: '/stripe/events?live=0', verdict: 'valid', outcome: 'captured' }]);
      const table = await cli('inbox', 'captures', created.id);
      expect(table.stdout).toMatch(/POST\s+\/stripe\/events\?live=0\s+valid/);

      const shown = await cli('delivery', 'show', String(captures[0]!.id));
      expect(shown.stdout).toContain(`Request POST /in/${created.id}/stripe/events?live=0`);

      const list = await cli('inbox', 'list', '--json');
      expect(json<InboxSummary[]>(list.stdout)).toMatchObject([{ id: created.id, name: 'payments', dialect: 'stripe', toleranceSeconds: 600, captures: 1 }]);
      expect(list.stdout).not.toContain(created.secret);
      const show = await cli('inbox', 'show', created.id);
      expect(show.stdout).toContain('600 s');
      expect(show.stdout).not.toContain(created.secret);

      const updated = await cli('inbox', 'update', created.id, '--name', 'stripe-live', '--tolerance', 'default', '--json');
      expect(json<InboxSummary>(updated.stdout)).toMatchObject({ id: created.id, name: 'stripe-live', toleranceSeconds: null, captures: 1 });
      const nothing = await cli('inbox', 'update', created.id);
      expect(nothing.code).not.toBe(0);
      expect(nothing.stderr).toMatch(/Nothing to change/);

      const removed = await cli('inbox', 'remove', created.id, '--json');
      expect(json(removed.stdout)).toEqual({ id: created.id, removed: true, captures: 1 });
      expect((await fetch(created.url, { method: 'POST', body: '{}' })).status).toBe(404);
    });

    it('refuses an unknown dialect and a secret the dialect cannot use, clearly', async () => {
      const { cli } = await startSite(kind);
      const unknown = await cli('inbox', 'add', '--name', 'x', '--dialect', 'carrier-pigeon');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/Unknown dialect "carrier-pigeon"; use one of none, github/);
      const bad = await cli('inbox', 'add', '--name', 'x', '--dialect', 'none', '--secret', 's');
      expect(bad.stderr).toMatch(/takes no secret/);
      expect(json<unknown[]>((await cli('inbox', 'list', '--json')).stdout)).toEqual([]);
    });
  });
});
