import { describe, expect, it, onTestFinished } from 'vitest';
import type { InboxForwardTarget } from '../../src/shared/inbox-types';
import type { InboxCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { startTarget } from '../helpers/forward-target';
import { runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const json = <T>(text: string) => JSON.parse(text) as T;

describe('hookbench inbox forward', () => {
  it('adds a target beside a running serve, which forwards and passes the answer back; delivery show has the answer; --remove stops it', async () => {
    const dir = tempDataDir();
    const serve = await startServe(dir);
    onTestFinished(async () => {
      await serve.stop();
    });
    const app = await startTarget(() => ({ status: 201, headers: [['X-App', 'yes']], body: 'created' }));
    const inbox = json<InboxCreated>((await runCli(['inbox', 'add', '--name', 'shop', '--dialect', 'none', '--data-dir', dir, '--json'])).stdout);

    const added = await runCli([
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
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(added.code).toBe(0);
    expect(json<InboxForwardTarget[]>(added.stdout)).toEqual([{ url: `${app.url}/hooks`, events: ['order.paid', 'order.created'], pathRewrite: '/shop=>/', passBack: true, retrySeconds: [2, 20] }]);
    const show = await runCli(['inbox', 'show', inbox.id, '--data-dir', dir]);
    expect(show.stdout).toContain(`forwards     ${app.url}/hooks  events order.paid,order.created  path /shop=>/  pass-back  retries 2, 20 s`);

    const res = await fetch(`${inbox.url}/shop/orders?id=7`, { method: 'POST', body: '{"type":"order.paid"}' });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('created');
    expect(app.received.map((r) => r.path)).toEqual(['/hooks/orders?id=7']);

    const captures = json<{ items: { id: number }[] }>((await runCli(['inbox', 'captures', inbox.id, '--data-dir', dir, '--json'])).stdout).items;
    const shown = await waitUntil(
      () => runCli(['delivery', 'show', String(captures[0]!.id), '--data-dir', dir]),
      (r) => r.stdout.includes('delivered'),
    );
    expect(shown.stdout).toContain(`Forwarded to ${app.url}/hooks: delivered after 1 attempt, answered 201 in `);
    expect(shown.stdout).toContain('  X-App: yes');
    const asJson = json<{ forwards: { status: number; body: string }[] }>((await runCli(['delivery', 'show', String(captures[0]!.id), '--data-dir', dir, '--json'])).stdout);
    expect(asJson.forwards).toMatchObject([{ state: 'delivered', status: 201, body: 'created' }]);

    const removed = await runCli(['inbox', 'forward', inbox.id, '--remove', `${app.url}/hooks`, '--data-dir', dir, '--json']);
    expect(json<unknown[]>(removed.stdout)).toEqual([]);
    expect((await fetch(`${inbox.url}/shop`, { method: 'POST', body: '{"type":"order.paid"}' })).status).toBe(200);
  });

  it('says what is wrong with a target, and changes nothing', async () => {
    const dir = tempDataDir();
    const inbox = json<InboxCreated>((await runCli(['inbox', 'add', '--name', 'x', '--dialect', 'none', '--data-dir', dir, '--json'])).stdout);
    const neither = await runCli(['inbox', 'forward', inbox.id, '--data-dir', dir]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/Give --to URL .* or --remove URL/);
    const rewrite = await runCli(['inbox', 'forward', inbox.id, '--to', 'http://localhost:3000', '--path-rewrite', 'stripe', '--data-dir', dir]);
    expect(rewrite.stderr).toMatch(/should read FROM=>TO/);
    const scheme = await runCli(['inbox', 'forward', inbox.id, '--to', 'ftp://localhost/x', '--data-dir', dir]);
    expect(scheme.stderr).toMatch(/must be an http or https URL/);
    await runCli(['inbox', 'forward', inbox.id, '--to', 'http://localhost:3000/a', '--pass-back', '--data-dir', dir]);
    const second = await runCli(['inbox', 'forward', inbox.id, '--to', 'http://localhost:3001/b', '--pass-back', '--data-dir', dir]);
    expect(second.stderr).toMatch(/already passes its answer back/);
    const loop = await runCli(['inbox', 'forward', inbox.id, '--to', `${inbox.url}/again`, '--data-dir', dir]);
    expect(loop.stderr).toMatch(/this inbox's own address: each capture would be forwarded back into it/);
    const unknown = await runCli(['inbox', 'forward', inbox.id, '--remove', 'http://localhost:9/none', '--data-dir', dir]);
    expect(unknown.stderr).toMatch(/forwards nothing to http:\/\/localhost:9\/none; its targets: http:\/\/localhost:3000\/a/);
    const targets = json<{ forwards: InboxForwardTarget[] }>((await runCli(['inbox', 'show', inbox.id, '--data-dir', dir, '--json'])).stdout).forwards;
    expect(targets.map((t) => t.url)).toEqual(['http://localhost:3000/a']);
  });
});
