import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWith } from '../../src/main/engine/secrets/key-file-box';
import { SEALED_PREFIX } from '../../src/shared/secret-headers';
import { buildDesktopWorkspace, type DesktopWorkspace } from '../helpers/desktop-workspace';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { HOOKBENCH_BIN, runCli, startServe } from '../helpers/serve-process';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';

const TEAM_KEY = randomBytes(32);
const TEAM_ENV = { HOOKBENCH_SECRET_KEY: TEAM_KEY.toString('base64') };

let cluster: PostgresCluster;
let workspace: DesktopWorkspace;
let databases = 0;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
  workspace = await buildDesktopWorkspace();
}, 120_000);
afterAll(() => {
  workspace?.dispose();
  cluster?.stop();
});

const freshDatabase = () => cluster.createDatabase(`move_${++databases}`);

function migrate(args: string[], env: Record<string, string> = TEAM_ENV) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [HOOKBENCH_BIN, 'migrate', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOOKBENCH_SECRET_KEY: '', HOOKBENCH_SECRET_KEY_FILE: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every table of the data dir's database but SQLite's own bookkeeping, with its row count. */
function sqliteCounts(dir: string): Record<string, number> {
  const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").pluck().all() as string[];
    return Object.fromEntries(names.map((name) => [name, db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

async function postgresCounts(url: string, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM "${table}"`))[0]!.n);
  return out;
}

const bodyDigests = (rows: { id: number | string; body: Buffer }[]) => rows.map((r) => `${r.id}:${createHash('sha256').update(r.body).digest('hex')}`);

const LOCAL_SETTINGS = ['receiver.url'];

/** Captures of 256 KiB each, written straight into the data dir: a copy long enough to act during. */
function seedBigDeliveries(dir: string, count: number): void {
  const db = new Database(join(dir, 'hookbench.sqlite'));
  const insert = db.prepare(
    "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('h', ?, 'import', '[]', ?, ?, 'unchecked', 202, 'captured')",
  );
  const body = randomBytes(256 * 1024);
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(i, body, body.length);
  })();
  db.close();
}

describe('hookbench migrate: a desktop workspace onto a team server', () => {
  it('moves every table, every body byte for byte, secrets re-sealed with the team key, pending sends queued, and reports both sides', async () => {
    const { dir } = workspace;
    const url = freshDatabase();
    const dbFile = join(dir, 'hookbench.sqlite');
    const before = { hash: createHash('sha256').update(readFileSync(dbFile)).digest('hex'), mtime: statSync(dbFile).mtimeMs };
    const source = sqliteCounts(dir);

    const moved = await migrate(['--from', dir, '--to', url, '--json']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/deliveries: \d+ of \d+ row\(s\) copied/);
    const report = JSON.parse(moved.stdout) as {
      ok: boolean;
      committed: boolean;
      tables: { table: string; source: number; skipped: number; target: number; ok: boolean }[];
      digests: { table: string; column: string; ok: boolean }[];
      settingsLeft: { key: string }[];
      claimsReset: number;
      resealed: number;
    };
    expect(report).toMatchObject({ ok: true, committed: true, claimsReset: 1 });
    // Every table of the data dir is in the report and on the server, none left out.
    expect(report.tables.map((t) => t.table).sort()).toEqual(Object.keys(source).sort());
    const onServer = await postgresCounts(url, Object.keys(source));
    const skipped = report.settingsLeft.map((s) => s.key);
    expect(skipped).toEqual(expect.arrayContaining(LOCAL_SETTINGS));
    for (const [table, n] of Object.entries(source)) {
      const expected = table === 'settings' ? n - skipped.length : n;
      expect(onServer[table], table).toBe(expected);
      expect(
        report.tables.find((t) => t.table === table),
        table,
      ).toMatchObject({ source: n, target: expected, ok: true });
    }
    for (const table of [
      'deliveries',
      'releases',
      'release_checks',
      'endpoints',
      'messages',
      'attempts',
      'fixtures',
      'inboxes',
      'inbox_forward_targets',
      'retention_policies',
      'api_tokens',
      'audit_log',
      'activity',
      'packages',
      'hooks',
      'settings',
    ]) {
      expect(onServer[table], table).toBeGreaterThan(0);
    }
    expect(report.digests.find((d) => d.table === 'deliveries' && d.column === 'body')).toMatchObject({ ok: true });

    // Bodies, byte for byte, read independently from both sides.
    const sqlite = new Database(dbFile, { readonly: true });
    const sourceBodies = sqlite.prepare('SELECT id, body FROM deliveries ORDER BY id').all() as { id: number; body: Buffer }[];
    const sourceMessages = sqlite.prepare('SELECT message_id, state, next_attempt_at FROM messages ORDER BY id').all();
    sqlite.close();
    const serverBodies = await query<{ id: string; body: Buffer }>(url, 'SELECT id, body FROM deliveries ORDER BY id');
    expect(bodyDigests(serverBodies)).toEqual(bodyDigests(sourceBodies));
    const binary = await query<{ body: Buffer; hook_id: string; verdict: string }>(url, 'SELECT body, hook_id, verdict FROM deliveries WHERE hook_id = $1', [workspace.inbox.id]);
    expect(binary).toEqual([{ body: workspace.binaryBody, hook_id: workspace.inbox.id, verdict: 'valid' }]);

    // The retry waits as it did; the send claimed by a killed process is queued again.
    const messages = await query<{ message_id: string; state: string; next_attempt_at: string | null; claimed_until: string | null }>(
      url,
      'SELECT message_id, state, next_attempt_at, claimed_until FROM messages ORDER BY id',
    );
    expect(messages.map((m) => m.state)).toEqual(['pending', 'pending']);
    expect(sourceMessages).toMatchObject([{ state: 'pending' }, { state: 'sending' }]);
    expect(Number(messages[0]!.next_attempt_at)).toBe((sourceMessages[0] as { next_attempt_at: number }).next_attempt_at);
    expect(messages[1]!.claimed_until).toBeNull();

    // Secrets open with the team key, and only with it.
    const endpointSecret = (await query<{ secret_sealed: string }>(url, "SELECT secret_sealed FROM endpoints WHERE name = 'later'"))[0]!.secret_sealed;
    expect(openWith(TEAM_KEY, endpointSecret)).toBe(workspace.endpointSecret);
    expect(openWith(readFileSync(join(dir, 'secret.key')), endpointSecret)).toBeNull();
    const hookSecret = (await query<{ secret_sealed: string }>(url, 'SELECT secret_sealed FROM hooks'))[0]!.secret_sealed;
    expect(openWith(TEAM_KEY, hookSecret)).toBe(workspace.pkg.secret);
    // The moved endpoint secret signs what the endpoint was sent exactly as it was signed.
    const sent = workspace.sentToEndpoint;
    const header = (name: string) => sent.headers.find(([k]) => k.toLowerCase() === name)![1];
    const secretBytes = Buffer.from(openWith(TEAM_KEY, endpointSecret)!.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', secretBytes)
      .update(`${header('webhook-id')}.${header('webhook-timestamp')}.${sent.body.toString()}`)
      .digest('base64');
    expect(header('webhook-signature')).toContain(`v1,${expected}`);
    // A credential header of a stored request is sealed with the team key too.
    const captureHeaders = JSON.parse((await query<{ headers: string }>(url, 'SELECT headers FROM deliveries WHERE hook_id = $1', [workspace.inbox.id]))[0]!.headers) as [string, string][];
    const authorization = captureHeaders.find(([name]) => name.toLowerCase() === 'authorization')![1];
    expect(authorization.startsWith(SEALED_PREFIX)).toBe(true);
    expect(openWith(TEAM_KEY, authorization.slice(SEALED_PREFIX.length))).toBe('Bearer caller-credential');

    // New rows number on past the copied ones; machine-local settings stayed behind.
    const maxId = Math.max(...sourceBodies.map((b) => b.id));
    const inserted = await query<{ id: string }>(
      url,
      "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('h', 1, 'direct', '[]', '\\x00', 1, 'valid', 202, 'pending') RETURNING id",
    );
    expect(Number(inserted[0]!.id)).toBe(maxId + 1);
    expect(await query(url, "SELECT key FROM settings WHERE key = 'receiver.url'")).toEqual([]);

    // The data dir was only read.
    expect(createHash('sha256').update(readFileSync(dbFile)).digest('hex')).toBe(before.hash);
    expect(statSync(dbFile).mtimeMs).toBe(before.mtime);
  }, 120_000);

  it('refuses a server that already holds a workspace, naming what is there, and replaces it when told', async () => {
    const url = freshDatabase();
    expect((await migrate(['--from', workspace.dir, '--to', url])).code).toBe(0);
    const source = sqliteCounts(workspace.dir);
    const once = await postgresCounts(url, Object.keys(source));

    const refused = await migrate(['--from', workspace.dir, '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty');
    expect(refused.stderr).toMatch(new RegExp(`${source.deliveries} deliveries`));
    expect(refused.stderr).toContain('--replace');
    expect(await postgresCounts(url, Object.keys(source))).toEqual(once);

    const replaced = await migrate(['--from', workspace.dir, '--to', url, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('Moved ');
    expect(await postgresCounts(url, Object.keys(source))).toEqual(once);
  }, 60_000);

  it('stops before writing anything when the data dir key does not open its secrets, naming the key file', async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/keys', '--repo-id', '7', '--data-dir', dir])).code).toBe(0);
    writeFileSync(join(dir, 'secret.key'), randomBytes(32));
    const url = freshDatabase();
    const refused = await migrate(['--from', dir, '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(join(dir, 'secret.key'));
    expect(refused.stderr).toContain('Nothing was written');
    // Not even the schema: the server's database was never touched.
    expect(await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  }, 60_000);

  it('says what it needs: both places, a PostgreSQL URL and the team key', async () => {
    const missing = await migrate(['--from', workspace.dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('migrate needs --from DATA_DIR and --to postgres://');
    const notPostgres = await migrate(['--from', workspace.dir, '--to', '/tmp/elsewhere']);
    expect(notPostgres.code).toBe(2);
    expect(notPostgres.stderr).toContain('--to must be a PostgreSQL URL');
    const noKey = await migrate(['--from', workspace.dir, '--to', freshDatabase()], {});
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("The team server's secret key is needed");
    expect(noKey.stderr).toContain('--key-file FILE');
  });

  it('refuses a data dir of an older schema without changing it, and says how to bring it up to date', async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/old', '--repo-id', '6', '--data-dir', dir])).code).toBe(0);
    const db = new Database(join(dir, 'hookbench.sqlite'));
    db.prepare('DELETE FROM schema_migrations WHERE idx = (SELECT max(idx) FROM schema_migrations)').run();
    const applied = db.prepare('SELECT count(*) FROM schema_migrations').pluck().get();
    db.close();
    const url = freshDatabase();
    const refused = await migrate(['--from', dir, '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('older than this build');
    expect(refused.stderr).toContain(`hookbench status --data-dir ${dir}`);
    const after = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    expect(after.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(applied);
    after.close();
    expect(await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  }, 60_000);

  it('moves a data dir already sealed with the team key (rotated onto HOOKBENCH_SECRET_KEY), which has no key file of its own', async () => {
    const dir = tempDataDir();
    const made = spawn(process.execPath, [HOOKBENCH_BIN, 'package', 'add', '--provider', 'github', '--repo', 'octo/shared', '--repo-id', '8', '--data-dir', dir, '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, ...TEAM_ENV },
    });
    let out = '';
    made.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => made.once('exit', resolve));
    const pkg = JSON.parse(out) as PackageCreated;
    const url = freshDatabase();
    const moved = await migrate(['--from', dir, '--to', url]);
    expect(moved.code, moved.stderr).toBe(0);
    const sealed = (await query<{ secret_sealed: string }>(url, 'SELECT secret_sealed FROM hooks'))[0]!.secret_sealed;
    expect(openWith(TEAM_KEY, sealed)).toBe(pkg.secret);
  }, 60_000);

  it('copies one consistent moment of a data dir while serve keeps receiving into it', async () => {
    const dir = tempDataDir();
    const added = await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/live', '--repo-id', '11', '--data-dir', dir, '--json']);
    const pkg = JSON.parse(added.stdout) as PackageCreated;
    seedBigDeliveries(dir, 120);
    const serve = await startServe(dir);
    try {
      const hook = `${serve.receiver}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
      let sending = true;
      let sent = 0;
      const sender = (async () => {
        while (sending) {
          const body = JSON.stringify(githubTagPush(11, `v0.0.${sent}`));
          await fetch(hook, { method: 'POST', body, headers: await githubHeaders('push', body, pkg.secret) });
          sent++;
        }
      })();
      const url = freshDatabase();
      const moved = await migrate(['--from', dir, '--to', url, '--json']);
      sending = false;
      await sender;
      expect(moved.code, moved.stderr).toBe(0);
      const report = JSON.parse(moved.stdout) as { sourceOpenBy: number[]; tables: { table: string; target: number }[] };
      expect(report.sourceOpenBy).toContain(serve.child.pid);
      expect(sent).toBeGreaterThan(0);
      // The running total and the rows it counts were read at the same moment.
      const deliveries = Number((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM deliveries'))[0]!.n);
      expect(Number((await query<{ rows: string }>(url, "SELECT rows FROM list_totals WHERE list = 'deliveries'"))[0]!.rows)).toBe(deliveries);
      expect(report.tables.find((t) => t.table === 'deliveries')!.target).toBe(deliveries);
    } finally {
      await serve.stop();
    }
  }, 120_000);

  it('leaves the server as it was when the process is killed midway', async () => {
    const dir = tempDataDir();
    expect((await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/big', '--repo-id', '9', '--data-dir', dir])).code).toBe(0);
    const db = new Database(join(dir, 'hookbench.sqlite'));
    const insert = db.prepare(
      "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, verdict, status_code, outcome) VALUES ('h', ?, 'import', '[]', ?, ?, 'unchecked', 202, 'captured')",
    );
    const body = randomBytes(256 * 1024);
    db.transaction(() => {
      for (let i = 0; i < 240; i++) insert.run(i, body, body.length);
    })();
    db.close();
    const url = freshDatabase();
    const child = spawn(process.execPath, [HOOKBENCH_BIN, 'migrate', '--from', dir, '--to', url], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...TEAM_ENV } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Frozen as soon as it reports a first batch of deliveries written, then killed.
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/deliveries: [1-9]\d* of 240/.test(seen)) {
          child.kill('SIGSTOP');
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const tables = Object.keys(sqliteCounts(dir));
    expect(Object.values(await postgresCounts(url, tables)).every((n) => n === 0)).toBe(true);
    // Nothing is left locked either: the move runs again to the end.
    const again = await migrate(['--from', dir, '--to', url]);
    expect(again.code, again.stderr).toBe(0);
    expect((await postgresCounts(url, ['deliveries'])).deliveries).toBe(240);
  }, 120_000);
});
