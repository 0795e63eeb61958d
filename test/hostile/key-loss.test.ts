import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { githubHeaders, githubPing } from '../helpers/payloads';
import { runCli, startServe } from '../helpers/serve-process';

const KEY = 'secret.key';

async function addPackage(dir: string, repoId: string) {
  const added = await runCli(['package', 'add', '--provider', 'github', '--repo', `octo/r${repoId}`, '--repo-id', repoId, '--data-dir', dir, '--json']);
  expect(added.code, added.stderr).toBe(0);
  const created = JSON.parse(added.stdout) as { id: string; hookUrl: string; secret: string };
  return { ...created, hookId: created.hookUrl.split('/hooks/')[1]! };
}

async function ping(receiver: string, hookId: string, secret: string, repoId: number) {
  const body = JSON.stringify(githubPing(repoId));
  const res = await fetch(`${receiver}/hooks/${hookId}`, { method: 'POST', body, headers: await githubHeaders('ping', body, secret) });
  return { status: res.status, text: await res.text() };
}

const deliveriesIn = (dir: string) => {
  const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT status_code AS statusCode, outcome, outcome_reason AS reason FROM deliveries ORDER BY id').all() as { statusCode: number; outcome: string; reason: string }[];
  } finally {
    db.close();
  }
};

describe('a lost key file', () => {
  it('stops serve and the commands that need secrets, names the key file and the way out, and never makes a new key', async () => {
    const dir = tempDataDir();
    await addPackage(dir, '11');
    rmSync(join(dir, KEY));

    const serve = await runCli(['serve', '--data-dir', dir, '--port', '0', '--receiver-port', '0']);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(join(dir, KEY));
    expect(serve.stderr).toContain('is missing');
    expect(serve.stderr).toContain('hookbench secrets reset');
    expect(serve.stderr).toContain('restore');
    expect(existsSync(join(dir, KEY))).toBe(false);

    const add = await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/other', '--repo-id', '12', '--data-dir', dir]);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain(join(dir, KEY));
    expect(existsSync(join(dir, KEY))).toBe(false);

    // What is stored stays readable.
    const list = await runCli(['package', 'list', '--data-dir', dir, '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('refuses a key file that is not the one that sealed the secrets', async () => {
    const dir = tempDataDir();
    await addPackage(dir, '13');
    writeFileSync(join(dir, KEY), randomBytes(32), { mode: 0o600 });
    const serve = await runCli(['serve', '--data-dir', dir, '--port', '0', '--receiver-port', '0', '--json']);
    expect(serve.code).toBe(1);
    const error = JSON.parse(serve.stderr) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('secret_key');
    expect(error.error.message).toContain('is not the key that sealed them');
  });

  it('secrets reset gives new secrets, shown once, records it, and deliveries signed with them are stored', async () => {
    const dir = tempDataDir();
    const pkg = await addPackage(dir, '21');
    const endpoint = await runCli(['endpoint', 'add', '--name', 'svc', '--url', 'http://127.0.0.1:9/x', '--dialect', 'standard-webhooks', '--events', 'release.published', '--data-dir', dir, '--json']);
    expect(endpoint.code, endpoint.stderr).toBe(0);
    rmSync(join(dir, KEY));

    const reset = await runCli(['secrets', 'reset', '--data-dir', dir, '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    const result = JSON.parse(reset.stdout) as { hooks: { packageId: string; secret: string }[]; endpoints: { id: string; secret: string }[] };
    expect(result.hooks.map((h) => h.packageId)).toEqual([pkg.id]);
    expect(result.hooks[0]!.secret).not.toBe(pkg.secret);
    expect(result.endpoints).toHaveLength(1);
    expect(existsSync(join(dir, KEY))).toBe(true);

    const activity = await runCli(['activity', '--data-dir', dir, '--json']);
    const entries = (JSON.parse(activity.stdout) as { items: { kind: string; message: string }[] }).items;
    expect(entries.filter((e) => e.kind === 'secrets_reset').length).toBeGreaterThanOrEqual(2);

    // Shown once: a second reset finds nothing to replace.
    const again = await runCli(['secrets', 'reset', '--data-dir', dir]);
    expect(again.stdout).toContain('nothing was reset');

    const server = await startServe(dir);
    try {
      expect((await ping(server.receiver, pkg.hookId, result.hooks[0]!.secret, 21)).status).toBe(200);
      expect((await ping(server.receiver, pkg.hookId, pkg.secret, 21)).status).toBe(403);
    } finally {
      await server.stop();
    }
  });

  it('a hook secret this store cannot open: the delivery is stored as rejected with the reason and answered 500 without it', async () => {
    const dir = tempDataDir();
    const pkg = await addPackage(dir, '31');
    // A secret sealed by the desktop's OS keychain, which a headless serve has no way to open.
    const db = new Database(join(dir, 'hookbench.sqlite'));
    db.prepare("UPDATE hooks SET secret_sealed = 'safestorage1:AAAA' WHERE id = ?").run(pkg.hookId);
    db.close();

    const server = await startServe(dir);
    try {
      const answer = await ping(server.receiver, pkg.hookId, pkg.secret, 31);
      expect(answer.status).toBe(500);
      expect(answer.text).not.toContain('different secret store');
    } finally {
      await server.stop();
    }
    const stored = deliveriesIn(dir);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ statusCode: 500, outcome: 'rejected' });
    expect(stored[0]!.reason).toContain('secret could not be opened');
  });
});
