/**
 * Named tokens, the audit log, readiness and metrics on both stores: a SQLite data dir and a
 * PostgreSQL database on a throwaway cluster, the same assertions on each. The CLI round trip
 * runs real `hookbench` processes (needs `npm run build`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { createAccess, type Access } from '../../src/main/engine/access/access';
import { pgAccessStore } from '../../src/main/engine/access/pg-statements';
import { sqliteAccessStore } from '../../src/main/engine/access/statements';
import { TOKEN_CACHE_MS } from '../../src/main/engine/access/token-cache';
import { EngineBus } from '../../src/main/engine/bus';
import { createInvoker, type Invoke } from '../../src/main/engine/control/handlers';
import { pgAccessHandlers } from '../../src/main/engine/control/pg/access-handlers';
import { createTeamHandlers } from '../../src/main/engine/control/pg/team-handlers';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { createMetrics } from '../../src/main/engine/ops/metrics';
import { pgOpsStore } from '../../src/main/engine/ops/pg-statements';
import { checkReadiness } from '../../src/main/engine/ops/readiness';
import { sqliteOpsStore, type OpsStore } from '../../src/main/engine/ops/statements';
import { VERSION } from '../../src/main/engine/version';
import { LOCAL_CALLER, ROLES, type AuditEntry, type Caller, type Role, type TokenCreated, type TokenSummary } from '../../src/shared/access-types';
import { tempDataDir } from '../helpers/data-dir';
import { HANDLER_STORES, openHandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { cliInProcess } from '../helpers/in-process-cli';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { HOOKBENCH_BIN } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
}, 60_000);
afterAll(() => cluster?.stop());

let databases = 0;
const freshDatabase = () => cluster.createDatabase(`access_${++databases}`);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One store with what the control API's access pieces run on; `instance` is another process's view of the same store. */
interface AccessSite {
  access: Access;
  invoke: Invoke;
  instance(now?: () => number): Access;
  ops: OpsStore;
  pool: pg.Pool | null;
  url: string | null;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

async function openSite(kind: HandlerStoreKind): Promise<AccessSite> {
  if (kind === 'sqlite') {
    const engine = createEngine({ dataDir: tempDataDir() });
    onTestFinished(() => engine.close());
    return {
      access: engine.access,
      invoke: engine.invoke,
      instance: (now) => createAccess(sqliteAccessStore(engine.db), now),
      ops: sqliteOpsStore(engine.db),
      pool: null,
      url: null,
      async query<T>(sql: string, params: unknown[] = []) {
        const statement = engine.db.$client.prepare(sql.replace(/\$\d+/g, '?'));
        return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
      },
    };
  }
  const url = freshDatabase();
  const pool = (await openPostgres(url)).$client;
  const opened: Access[] = [];
  onTestFinished(async () => {
    await Promise.all(opened.map((access) => access.close()));
    await pool.end();
  });
  const instance = (now: () => number = Date.now) => {
    const access = createAccess(pgAccessStore(pool, { now }), now);
    opened.push(access);
    return access;
  };
  const access = instance();
  const noSecrets = { kind: 'none', seal: () => 'x', open: () => 'x' };
  const ctx = { pool, box: noSecrets, bus: new EngineBus(), version: VERSION, receiverUrl: () => null, kickDispatcher: () => undefined, now: Date.now, access };
  return {
    access,
    invoke: createInvoker(createTeamHandlers(ctx, [pgAccessHandlers]), access),
    instance,
    ops: pgOpsStore(pool),
    pool,
    url,
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
  };
}

const seedAudit = (site: { query: AccessSite['query'] }, method: string, at: number) =>
  site.query("INSERT INTO audit_log (at, actor, role, method, target, outcome, remote_address) VALUES ($1, 'seed', NULL, $2, NULL, 'ok', NULL)", [at, method]);

describe.each(HANDLER_STORES)('access on the %s store', (kind) => {
  it('tokens.create shows the token once and keeps only its hash; list, revoke and their errors answer alike', async () => {
    const api = await openHandlerStore(kind, cluster, [pgAccessHandlers]);
    const made = await api.invoke('tokens.create', { name: 'ada', role: 'admin' });
    expect(made.token).toMatch(/^hbk_[\w-]{43}$/);
    expect(made).toMatchObject({ name: 'ada', role: 'admin', createdBy: 'local', lastUsedAt: null });
    const stored = await api.query<Record<string, unknown>>('SELECT * FROM api_tokens');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(sha256(made.token));
    expect(JSON.stringify(stored)).not.toContain(made.token.slice(4));

    await api.invoke('tokens.create', { name: 'bob', role: 'operator' });
    await api.invoke('tokens.create', { name: 'Zed', role: 'viewer' });
    const listed = await api.invoke('tokens.list', {});
    expect(listed.map((t) => [t.name, t.role])).toEqual([
      ['Zed', 'viewer'],
      ['ada', 'admin'],
      ['bob', 'operator'],
    ]);
    expect(JSON.stringify(listed)).not.toContain('hbk_');

    await expect(api.invoke('tokens.create', { name: 'ada', role: 'viewer' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'A token named "ada" already exists; revoke it first or pick another name.',
    });
    expect(await api.invoke('tokens.revoke', { name: 'bob' })).toEqual({ revoked: true });
    await expect(api.invoke('tokens.revoke', { name: 'bob' })).rejects.toMatchObject({ code: 'not_found', message: 'No token named "bob".' });
    expect((await api.invoke('tokens.list', {})).map((t) => t.name)).toEqual(['Zed', 'ada']);
  });

  it('audit.list pages newest first, by id, with the same entries', async () => {
    const api = await openHandlerStore(kind, cluster, [pgAccessHandlers]);
    for (let i = 1; i <= 5; i++) await seedAudit(api, `method.${i}`, 1_000 + i);
    const first = await api.invoke('audit.list', { limit: 2 });
    expect(first.map((e) => e.method)).toEqual(['method.5', 'method.4']);
    expect(first[0]).toEqual({ id: first[0]!.id, at: 1_005, actor: 'seed', role: null, method: 'method.5', target: null, outcome: 'ok', remoteAddress: null });
    const second = await api.invoke('audit.list', { limit: 2, beforeId: first.at(-1)!.id });
    expect(second.map((e) => e.method)).toEqual(['method.3', 'method.2']);
    const last = await api.invoke('audit.list', { limit: 2, beforeId: second.at(-1)!.id });
    expect(last.map((e) => e.method)).toEqual(['method.1']);
  });

  it('each role through the access object: a token names its owner and role, a call above it is refused, and changes and refusals are audited', async () => {
    const site = await openSite(kind);
    const tokens = {} as Record<Role, string>;
    for (const role of ROLES) tokens[role] = ((await site.invoke('tokens.create', { name: `${role}-1`, role })) as TokenCreated).token;
    const callers = {} as Record<Role, Caller>;
    for (const role of ROLES) {
      const caller = await site.access.authenticate(tokens[role], '203.0.113.5');
      expect(caller).toEqual({ name: `${role}-1`, role, address: '203.0.113.5' });
      callers[role] = caller!;
    }
    expect(await site.access.authenticate('hbk_not-a-token', '203.0.113.5')).toBeNull();

    await expect(site.invoke('tokens.create', { name: 'sneaky', role: 'admin' }, callers.viewer)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(site.invoke('tokens.list', {}, callers.operator)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'The operator role may not call tokens.list; ask an admin for a token with a higher role.',
    });
    expect((await site.invoke('tokens.list', {}, callers.admin)) as TokenSummary[]).toHaveLength(3);
    await site.invoke('tokens.revoke', { name: 'viewer-1' }, callers.admin);
    expect(await site.access.authenticate(tokens.viewer, '203.0.113.5')).toBeNull();
    site.access.refused('198.51.100.9', '/api/packages.list');

    const audit = (await site.invoke('audit.list', {}, callers.admin)) as AuditEntry[];
    expect(audit.map((e) => [e.actor, e.role, e.method, e.target, e.outcome, e.remoteAddress])).toEqual([
      ['unknown', 'viewer', '/api/packages.list', null, 'unauthorised', '198.51.100.9'],
      ['admin-1', 'admin', 'tokens.revoke', 'name:viewer-1', 'ok', '203.0.113.5'],
      ['operator-1', 'operator', 'tokens.list', null, 'forbidden', '203.0.113.5'],
      ['viewer-1', 'viewer', 'tokens.create', null, 'forbidden', '203.0.113.5'],
      ['local', 'admin', 'tokens.create', 'name:admin-1', 'ok', null],
      ['local', 'admin', 'tokens.create', 'name:operator-1', 'ok', null],
      ['local', 'admin', 'tokens.create', 'name:viewer-1', 'ok', null],
    ]);
    expect(JSON.stringify(audit)).not.toContain('hbk_');
  });

  it(`a token revoked through one instance opens nothing on another once ${TOKEN_CACHE_MS} ms have passed, and nothing at once on the one that revoked it`, async () => {
    const site = await openSite(kind);
    let clock = 1_000_000;
    const now = () => clock;
    const [a, b] = [site.instance(now), site.instance(now)];
    const { token } = await b.createToken('ci', 'operator', LOCAL_CALLER);
    expect(await a.authenticate(token, null)).toMatchObject({ name: 'ci', role: 'operator' });
    expect(await b.authenticate(token, null)).toMatchObject({ name: 'ci' });
    await b.revokeToken('ci');
    expect(await b.authenticate(token, null)).toBeNull();
    clock += TOKEN_CACHE_MS;
    expect(await a.authenticate(token, null)).toBeNull();
  });

  it('audit entries are written in the order they were recorded, every one of them by the time close returns', async () => {
    const site = await openSite(kind);
    const access = site.instance();
    for (let i = 0; i < 300; i++) access.audit(LOCAL_CALLER, 'inboxes.add', { id: `in_${i}` }, undefined, 'ok');
    await access.close();
    const rows = await site.query<{ target: string }>('SELECT target FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.target)).toEqual(Array.from({ length: 300 }, (_, i) => `in_${i}`));
  });

  it('readiness: ready on a migrated store, not ready (naming the migration) when one is missing', async () => {
    const site = await openSite(kind);
    expect(await checkReadiness(site.ops)).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok' } });
    await site.query('DELETE FROM schema_migrations WHERE idx = (SELECT max(idx) FROM schema_migrations)');
    const readiness = await checkReadiness(site.ops);
    expect(readiness.ready).toBe(false);
    expect(readiness.checks).toMatchObject({ database: 'ok', migrations: expect.stringMatching(/^not applied: \d{4}_\w+$/) });
  });

  it('metrics: deliveries by outcome from the store, and pool usage when the engine runs on a pool', async () => {
    const site = await openSite(kind);
    for (const outcome of ['ingested', 'ingested', 'rejected']) {
      await site.query(
        "INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, event, verdict, status_code, outcome, method, path) VALUES ('h1', $1, 'import', '[]', $2, 2, 'push', 'valid', 200, $3, 'POST', '/')",
        [Date.now(), Buffer.from('{}'), outcome],
      );
    }
    const metrics = createMetrics({ store: site.ops, subscribe: () => () => undefined, tunnelState: () => 'disconnected', ...(site.pool ? { pool: site.pool } : {}) });
    onTestFinished(metrics.stop);
    const text = await metrics.text();
    expect(text).toMatch(/^hookbench_deliveries\{outcome="ingested"\} 2$/m);
    expect(text).toMatch(/^hookbench_deliveries\{outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^hookbench_ingest_lag_seconds 0$/m);
    expect(text.includes('hookbench_pool_clients')).toBe(site.pool !== null);
  });
});

describe('access on PostgreSQL only', () => {
  it('a known token is answered from memory within the window, without the database, and looked up again after it', async () => {
    const site = await openSite('postgres');
    const { token } = await site.access.createToken('cached', 'viewer', LOCAL_CALLER);
    let clock = 5_000_000;
    const ownPool = (await openPostgres(site.url!)).$client;
    const instance = createAccess(pgAccessStore(ownPool, { now: () => clock }), () => clock);
    expect(await instance.authenticate(token, null)).toMatchObject({ name: 'cached' });
    await ownPool.end();
    clock += TOKEN_CACHE_MS - 1;
    expect(await instance.authenticate(token, null)).toMatchObject({ name: 'cached' });
    clock += 1;
    await expect(instance.authenticate(token, null)).rejects.toThrow(/pool/i);
  });

  it('a database that cannot take audit rows neither fails nor holds up the call it records, and gets them in order once it can', async () => {
    const site = await openSite('postgres');
    const warnings: string[] = [];
    const access = createAccess(pgAccessStore(site.pool!, { audit: { retryMs: 20, warn: (message) => warnings.push(message) } }));
    await site.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    access.audit(LOCAL_CALLER, 'inboxes.add', { id: 'in_1' }, undefined, 'ok');
    expect(() => access.check({ name: 'v', role: 'viewer', address: '203.0.113.5' }, 'packages.add')).toThrow(/viewer role may not call packages.add/);
    await waitUntil(
      async () => warnings,
      (seen) => seen.length > 0,
    );
    expect(warnings[0]).toMatch(/^Could not write the audit log \(\d entries wait; trying again every 0\.02 s\): relation "audit_log" does not exist/);
    access.audit(LOCAL_CALLER, 'inboxes.remove', { id: 'in_1' }, undefined, 'ok');
    await site.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    await access.close();
    const rows = await site.query<{ method: string; outcome: string }>('SELECT method, outcome FROM audit_log ORDER BY id');
    expect(rows).toEqual([
      { method: 'inboxes.add', outcome: 'ok' },
      { method: 'packages.add', outcome: 'forbidden' },
      { method: 'inboxes.remove', outcome: 'ok' },
    ]);
  });

  it('readiness says the database is unreachable when it is', async () => {
    const pool = (await openPostgres(freshDatabase())).$client;
    await pool.end();
    const readiness = await checkReadiness(pgOpsStore(pool));
    expect(readiness).toMatchObject({ ready: false, checks: { database: expect.stringMatching(/^unreachable: /), migrations: 'unknown' } });
  });

  it('the pool usage gauge counts open, idle and waiting connections', async () => {
    const site = await openSite('postgres');
    const small = (await openPostgres(site.url!, { poolSize: 1 })).$client;
    onTestFinished(() => small.end());
    const metrics = createMetrics({ store: site.ops, subscribe: () => () => undefined, tunnelState: () => 'disconnected', pool: small });
    onTestFinished(metrics.stop);
    const held = await small.connect();
    const waiting = small.query('SELECT 1');
    const text = await metrics.text();
    expect(text).toMatch(/^hookbench_pool_clients\{state="total"\} 1$/m);
    expect(text).toMatch(/^hookbench_pool_clients\{state="idle"\} 0$/m);
    expect(text).toMatch(/^hookbench_pool_clients\{state="waiting"\} 1$/m);
    held.release();
    await waiting;
    expect(await metrics.text()).toMatch(/^hookbench_pool_clients\{state="idle"\} 1$/m);
  });
});

function hookbench(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HOOKBENCH_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOOKBENCH_TOKEN: '', HOOKBENCH_SERVER: '', HOOKBENCH_DATABASE_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hookbench token and audit on a team server database', () => {
  it('token create --database makes a token there (hashed, shown once), list and audit read it back, revoke ends it; no data dir is touched', async () => {
    const url = freshDatabase();
    const dataDir = tempDataDir();
    const made = await hookbench(['token', 'create', '--name', 'ci-admin', '--role', 'admin', '--database', url, '--data-dir', dataDir, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const created = JSON.parse(made.stdout) as TokenCreated;
    expect(created).toMatchObject({ name: 'ci-admin', role: 'admin', createdBy: 'local' });
    expect(existsSync(join(dataDir, 'hookbench.sqlite'))).toBe(false);

    const pool = (await openPostgres(url)).$client;
    onTestFinished(() => pool.end());
    expect((await pool.query('SELECT token_hash FROM api_tokens')).rows).toEqual([{ token_hash: sha256(created.token) }]);
    const server = createAccess(pgAccessStore(pool));
    expect(await server.authenticate(created.token, null)).toMatchObject({ name: 'ci-admin', role: 'admin' });

    const listed = await hookbench(['token', 'list', '--json'], { HOOKBENCH_DATABASE_URL: url });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as TokenSummary[]).map((t) => t.name)).toEqual(['ci-admin']);
    expect(listed.stdout).not.toContain(created.token);

    const revoked = await hookbench(['token', 'revoke', 'ci-admin', '--database', url]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows).toEqual([{ n: 0 }]);

    const audit = await hookbench(['audit', '--database', url, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    expect((JSON.parse(audit.stdout) as AuditEntry[]).map((e) => [e.actor, e.method, e.target, e.outcome])).toEqual([
      ['local', 'tokens.revoke', 'name:ci-admin', 'ok'],
      ['local', 'tokens.create', 'name:ci-admin', 'ok'],
    ]);
  });

  it('--database beside --server is refused as naming two places, an unreachable database is named without its password, and other commands still refuse a database', async () => {
    const both = await cliInProcess(['token', 'list', '--database', 'postgres://team@db.example/hookbench', '--server', 'http://127.0.0.1:1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--database and --server name two different places');
    const unreachable = await cliInProcess(['token', 'list', '--database', 'postgres://ada:s3cret@127.0.0.1:1/hookbench']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("Cannot open the team server's database at postgres://ada:(hidden)@127.0.0.1:1/hookbench: ");
    expect(unreachable.stderr).not.toContain('s3cret');
    const other = await cliInProcess(['endpoint', 'list', '--database', 'postgres://team@db.example/hookbench', '--data-dir', tempDataDir()]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('only "hookbench serve --database URL", "dispatch --database URL", "token … --database URL", "audit --database URL" and "secrets rotate-key --database URL" do');
  });
});
