import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const json = <T>(text: string) => JSON.parse(text) as T;

describe('hookbench CLI', () => {
  it('prints help and refuses unknown commands and options with a clear message', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('package add --provider github|gitlab');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const badOption = await runCli(['package', 'list', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--colour/);
  });

  it('adds, lists, shows and removes packages, showing the secret only once', async () => {
    const dir = tempDataDir();
    const added = await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42', '--data-dir', dir, '--json']);
    expect(added.code).toBe(0);
    const created = json<PackageCreated>(added.stdout);
    expect(created.hookUrl).toMatch(/\/hooks\/hk_[A-Za-z0-9_-]{32}$/);
    const list = await runCli(['package', 'list', '--data-dir', dir, '--json']);
    expect(json<{ id: string }[]>(list.stdout).map((p) => p.id)).toEqual([created.id]);
    expect(list.stdout).not.toContain(created.secret);
    const show = await runCli(['package', 'show', created.id, '--data-dir', dir]);
    expect(show.stdout).toContain('octo/widgets');
    expect(show.stdout).not.toContain(created.secret);
    expect((await runCli(['package', 'remove', created.id, '--data-dir', dir])).code).toBe(0);
    const gone = await runCli(['package', 'show', created.id, '--data-dir', dir, '--json']);
    expect(gone.code).toBe(1);
    expect(json<{ error: { code: string } }>(gone.stderr).error.code).toBe('not_found');
  });

  it('works beside a running serve: a package added by the CLI receives at once, and delivery show prints the raw request', async () => {
    const dir = tempDataDir();
    const serve = await startServe(dir);
    onTestFinished(async () => {
      await serve.stop();
    });
    const created = json<PackageCreated>(
      (await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42', '--data-dir', dir, '--json'])).stdout,
    );
    expect(created.hookUrl.startsWith(serve.receiver)).toBe(true);
    const body = JSON.stringify({ ref: 'refs/tags/v1.0.0', after: 'a'.repeat(40), repository: { id: 42 }, head_commit: { id: 'a'.repeat(40) } });
    const res = await fetch(created.hookUrl, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': 'sha256=' + createHmac('sha256', created.secret).update(body).digest('hex'),
      },
    });
    expect(res.status).toBe(202);
    const { delivery } = (await res.json()) as { delivery: number };
    const shown = await runCli(['delivery', 'show', String(delivery), '--data-dir', dir]);
    expect(shown.stdout).toContain('x-github-event: push');
    expect(shown.stdout).toContain(body);
    // Ingest runs in the server after the answer; the CLI sees its result in the shared database.
    const releases = await waitUntil(
      async () => json<{ items: { version: string; status: string }[] }>((await runCli(['release', 'list', '--package', created.id, '--data-dir', dir, '--json'])).stdout).items,
      (list) => list.length > 0,
    );
    expect(releases).toMatchObject([{ version: '1.0.0', status: 'published' }]);
    expect(await serve.stop('SIGTERM')).toBe(0);
  });
});
