import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { METHOD_NAMES, type MethodName } from '../../src/shared/methods';
import { METHOD_ACCESS, roleRank } from '../../src/shared/roles';
import { ROLES, type AuditEntry, type Role, type TokenCreated } from '../../src/shared/access-types';
import type { DeliverySummary, FixtureDetail, MessageView } from '../../src/shared/types';
import { createControlServer } from '../../src/main/engine/control/http-server';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { createAccess } from '../../src/main/engine/access/access';
import { sqliteAccessStore } from '../../src/main/engine/access/statements';
import type { Engine } from '../../src/main/engine';
import { addPackage, post, startEngine } from '../helpers/engine';
import { githubHeaders, githubTagPush, gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import type { Diagnosis } from '../../src/shared/types';
import { startSink } from '../helpers/sink';
import { tempDataDir } from '../helpers/data-dir';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { waitUntil } from '../helpers/wait-until';

/** A package with a delivery, an endpoint with a sent message, an inbox and a fixture: something for every method to aim at. */
async function world(engine: Pick<Engine, 'invoke'>, receiverUrl: string) {
  const sink = await startSink();
  const pkg = await addPackage(engine, 'github', 7);
  const body = JSON.stringify(githubTagPush(7, 'v1.0.0'));
  await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/').pop()}`, body, await githubHeaders('push', body, pkg.secret));
  const [delivery] = await waitUntil(
    async () => (await engine.invoke('deliveries.list', { limit: 1 })) as DeliverySummary[],
    (list) => list[0] !== undefined && list[0].outcome !== 'pending',
  );
  if (!delivery) throw new Error('no delivery');
  const endpoint = (await engine.invoke('endpoints.add', { name: 'sink', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] })) as { id: string };
  const message = (await engine.invoke('endpoints.trigger', { id: endpoint.id, event: 'release.published' })) as MessageView;
  await waitUntil(
    async () => (await engine.invoke('endpoints.messages', { id: endpoint.id, limit: 100 })) as MessageView[],
    (messages) => messages.length > 0 && messages.every((m) => m.state === 'succeeded'),
  );
  const inbox = (await engine.invoke('inboxes.add', { name: 'in', dialect: 'none' })) as { id: string };
  const fixture = (await engine.invoke('fixtures.save', { ref: String(delivery.id), name: 'f' })) as FixtureDetail;
  await engine.invoke('tokens.create', { name: 'victim', role: 'viewer' });
  const other = tempDataDir();
  const ref = String(delivery.id);
  const params: Record<MethodName, unknown> = {
    'server.info': {},
    'packages.add': { provider: 'github', repo: 'octo/other', repoId: '99' },
    'packages.list': {},
    'packages.get': { id: pkg.id },
    'packages.remove': { id: pkg.id },
    'connections.add': { provider: 'github', token: 'ghp_nothing', baseUrl: 'http://127.0.0.1:1' },
    'connections.list': {},
    'connections.remove': { id: 'nope' },
    'packages.addFromConnection': { connectionId: 'nope', repo: 'octo/third' },
    'packages.rotate': { id: pkg.id },
    'packages.ping': { id: pkg.id, waitMs: 0 },
    'packages.providerDeliveries': { id: pkg.id },
    'packages.catchUp': { id: pkg.id },
    'packages.checkUpstream': { id: pkg.id },
    'releases.list': { packageId: pkg.id },
    'deliveries.list': {},
    'deliveries.count': {},
    'deliveries.get': { id: delivery.id },
    'deliveries.delete': { ids: [delivery.id], includeLinked: true },
    'activity.list': {},
    'dialects.list': {},
    'endpoints.add': { name: 'second', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] },
    'endpoints.list': {},
    'endpoints.get': { id: endpoint.id },
    'endpoints.update': { id: endpoint.id, name: 'renamed' },
    'endpoints.remove': { id: endpoint.id },
    'endpoints.enable': { id: endpoint.id },
    'endpoints.disable': { id: endpoint.id },
    'endpoints.rotateSecret': { id: endpoint.id },
    'endpoints.attempts': { id: endpoint.id },
    'endpoints.messages': { id: endpoint.id },
    'endpoints.series': { id: endpoint.id, since: 0, bucketMs: 60_000 },
    'endpoints.trigger': { id: endpoint.id, event: 'release.published' },
    'endpoints.triggerMany': { id: endpoint.id, event: 'release.published', count: 2 },
    'endpoints.resendFailed': { id: endpoint.id, since: 0 },
    'messages.resend': { id: message.id },
    'signature.diagnose': { headers: [], bodyBase64: '' },
    'signature.sign': { dialect: 'github', secret: 'not-a-stored-one', bodyBase64: '' },
    'deliveries.diagnose': { id: delivery.id },
    'captured.get': { ref },
    'captured.reveal': { ref, header: 'x-hub-signature-256' },
    'replay.run': { ref, to: sink.url, mode: 'exact' },
    'replay.preview': { ref, to: sink.url, mode: 'resign' },
    'replay.list': {},
    'fixtures.library': {},
    'fixtures.save': { ref, name: 'g' },
    'fixtures.list': {},
    'fixtures.get': { id: fixture.id },
    'fixtures.remove': { id: fixture.id },
    'fixtures.fire': { id: fixture.id, to: sink.url },
    'export.run': { format: 'json' },
    'import.upload': { name: 'x.json', contentBase64: Buffer.from('{}').toString('base64') },
    'import.begin': { name: 'x.json', size: 2 },
    'import.chunk': { uploadId: 'nope', offset: 0, contentBase64: '' },
    'import.finish': { uploadId: 'nope' },
    'import.cancel': { uploadId: 'nope' },
    'tunnel.create': { server: 'http://127.0.0.1:1' },
    'tunnel.status': {},
    'tunnel.connect': {},
    'tunnel.disconnect': {},
    'secrets.reset': {},
    'tunnel.remove': {},
    'tunnel.catchUp': {},
    'storage.status': {},
    'endpoints.preview': { dialect: 'repsy', format: 'dialect', event: 'release.published' },
    'retention.show': {},
    'retention.set': { days: 3650 },
    'retention.prune': { dryRun: true },
    'deliveries.keep': { id: delivery.id },
    'window.start': {},
    'storage.backup': { out: join(other, 'copy.sqlite') },
    'storage.restore': { file: join(other, 'nothing.sqlite'), dataDir: join(other, 'restored') },
    'inboxes.add': { name: 'second', dialect: 'none' },
    'inboxes.list': {},
    'inboxes.update': { id: inbox.id, name: 'renamed' },
    'inboxes.get': { id: inbox.id },
    'inboxes.remove': { id: inbox.id },
    'inboxes.captures': { id: inbox.id },
    'inboxes.capturesPage': { id: inbox.id },
    'deliveries.page': {},
    'activity.page': {},
    'releases.page': { packageId: pkg.id },
    'endpoints.attemptsPage': { id: endpoint.id },
    'endpoints.messagesPage': { id: endpoint.id },
    'inboxes.respond': { id: inbox.id, status: 500 },
    'inboxes.forward': { id: inbox.id, url: sink.url },
    'inboxes.timeline': { id: inbox.id },
    'inboxes.rotate': { id: inbox.id },
    'tokens.create': { name: 'made-by-call', role: 'admin' },
    'tokens.list': {},
    'tokens.revoke': { name: 'victim' },
    'audit.list': {},
  };
  return { params, pkg, delivery };
}

/** Every row of every table but the audit log (which records the refusals) and token use times. */
function fingerprint(dataDir: string): string {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sqlite_sequence') ORDER BY name").pluck().all() as string[];
    const hash = createHash('sha256');
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Record<string, unknown>[];
      const kept = table === 'api_tokens' ? rows.map((r) => ({ ...r, last_used_at: null })) : rows;
      hash.update(table).update(JSON.stringify(kept, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

const startSite = engineSites();

/** Every row of every table of a team server's database but the audit log (which records the refusals), token use times aside. */
async function databaseFingerprint(url: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const tables = await pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'audit_log' ORDER BY 1",
    );
    const hash = createHash('sha256');
    for (const { name } of tables.rows) {
      const rows = await pool.query<{ row: string }>(`SELECT (to_jsonb(t) - 'last_used_at')::text AS row FROM "${name}" t ORDER BY 1`);
      hash.update(name).update(rows.rows.map((r) => r.row).join('\n'));
    }
    return hash.digest('hex');
  } finally {
    await pool.end();
  }
}

async function setup(shared: boolean, behindProxy = false, kind: EngineKind = 'sqlite') {
  const { engine, receiverUrl, place } = await startSite(kind);
  const snapshot = async () => ('dataDir' in place ? fingerprint(place.dataDir) : databaseFingerprint(place.databaseUrl));
  const control = createControlServer({ invoke: engine.invoke, bus: engine.bus, uiDir: null, access: engine.access, ops: engine.ops, token: 'launch-token-for-this-test', behindProxy });
  const { url } = await control.listen({ port: 0, shared });
  onTestFinished(() => control.close());
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = ((await engine.invoke('tokens.create', { name: `${role}-1`, role })) as TokenCreated).token;
  const call = async (token: string, method: string, params: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(params) });
    return { status: res.status, body: (await res.json()) as { result?: unknown; error?: { code: string; message: string } } };
  };
  return { engine, receiverUrl, url, tokens, call, snapshot };
}

describe.each(ENGINE_KINDS)('every role on the %s store', (kind) => {
  it('every method, with every role: a viewer changes nothing, an operator reads no secret and makes no token, an admin may do everything; every change is audited', async () => {
    const t = await setup(true, false, kind);
    const { params } = await world(t.engine, t.receiverUrl);

    // Viewer: every method with real params; whatever the role table says, the data must not move.
    const before = await t.snapshot();
    for (const method of METHOD_NAMES) {
      const answer = await t.call(t.tokens.viewer, method, params[method]);
      if (METHOD_ACCESS[method].role === 'viewer') expect(answer.status, `viewer ${method}: ${JSON.stringify(answer.body)}`).not.toBe(403);
      else expect(answer.status, `viewer ${method}`).toBe(403);
    }
    expect(await t.snapshot()).toBe(before);

    // Operator: everything below admin is open to it; nothing that reveals a secret or makes a token is.
    for (const method of METHOD_NAMES) {
      const answer = await t.call(t.tokens.operator, method, params[method]);
      const allowed = roleRank(METHOD_ACCESS[method].role) <= roleRank('operator');
      expect(answer.status === 403, `operator ${method}: ${answer.status} ${JSON.stringify(answer.body.error)}`).toBe(!allowed);
    }
    for (const secretBearing of [
      'captured.reveal',
      'packages.rotate',
      'endpoints.rotateSecret',
      'endpoints.add',
      'packages.add',
      'inboxes.add',
      'inboxes.rotate',
      'secrets.reset',
      'tokens.create',
      'tokens.list',
    ] as const) {
      expect((await t.call(t.tokens.operator, secretBearing, params[secretBearing])).status, secretBearing).toBe(403);
    }

    // Admin: nothing is refused for its role (some calls fail on their own: no provider answers here).
    for (const method of METHOD_NAMES) {
      const answer = await t.call(t.tokens.admin, method, params[method]);
      expect([401, 403], `admin ${method}: ${JSON.stringify(answer.body.error)}`).not.toContain(answer.status);
    }
    // The same snapshot sees an admin's changes: the viewer's unchanged one above means something.
    expect(await t.snapshot()).not.toBe(before);

    const audit = (await t.engine.invoke('audit.list', { limit: 10_000 })) as AuditEntry[];
    for (const method of METHOD_NAMES.filter((m) => METHOD_ACCESS[m].changes)) {
      const row = audit.find((a) => a.actor === 'admin-1' && a.method === method);
      expect(row, `audit row for admin ${method}`).toBeDefined();
      expect(row!.role).toBe('admin');
      expect(row!.remoteAddress).toMatch(/127\.0\.0\.1/);
      const refused = audit.find((a) => a.actor === 'viewer-1' && a.method === method);
      expect(refused?.outcome, `viewer ${method} refused in the audit log`).toBe('forbidden');
    }
    // A created object is named by its new id; a secret never appears in the log.
    const added = audit.find((a) => a.actor === 'admin-1' && a.method === 'endpoints.add' && a.outcome === 'ok');
    expect(added?.target).toMatch(/^ep_|^[\w-]+$/);
    expect(JSON.stringify(audit)).not.toContain('ghp_nothing');
    expect(audit.filter((a) => a.actor === 'admin-1' && !METHOD_ACCESS[a.method as MethodName].changes)).toEqual([]);
  }, 120_000);
});

describe('roles over the control API', () => {
  it('a wrong token is refused and written down with where it came from; the launch token opens nothing on a shared server', async () => {
    const t = await setup(true);
    expect((await t.call('hbk_not-a-token', 'packages.list', {})).status).toBe(401);
    expect((await t.call('launch-token-for-this-test', 'packages.list', {})).status).toBe(401);
    expect((await t.call(t.tokens.viewer, 'packages.list', {})).status).toBe(200);
    const audit = (await t.engine.invoke('audit.list', {})) as AuditEntry[];
    const refused = audit.filter((a) => a.outcome === 'unauthorised');
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ actor: 'unknown', method: '/api/packages.list', target: null });
    expect(refused[0]!.remoteAddress).toMatch(/127\.0\.0\.1/);
    expect(JSON.stringify(audit)).not.toContain('hbk_not-a-token');
  });

  it('on loopback the launch token still opens everything, beside named tokens, and a revoked token opens nothing', async () => {
    const t = await setup(false);
    expect((await t.call('launch-token-for-this-test', 'tokens.list', {})).status).toBe(200);
    expect((await t.call(t.tokens.operator, 'packages.list', {})).status).toBe(200);
    await t.engine.invoke('tokens.revoke', { name: 'operator-1' });
    expect((await t.call(t.tokens.operator, 'packages.list', {})).status).toBe(401);
    const forbidden = await t.call(t.tokens.viewer, 'packages.add', { provider: 'github', repo: 'a/b', repoId: '1' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error?.message).toMatch(/viewer role may not call packages.add/);
  });

  it('below admin, no secret leaves through a replay or a diagnosis: a credential header is not sent outside, and a forged delivery gets no expected signature', async () => {
    const t = await setup(true);
    const sink = await startSink();
    const gitlab = await addPackage(t.engine, 'gitlab', 15, 'jsmith/example');
    const glBody = JSON.stringify(gitlabTagPush(15, 'v1.0.0'));
    const stored = await post(`${t.receiverUrl}/hooks/${gitlab.hookUrl.split('/hooks/')[1]}`, glBody, gitlabHeaders('Tag Push Hook', gitlab.secret));
    const ref = String(stored.json.delivery);
    const refused = await t.call(t.tokens.operator, 'replay.run', { ref, to: sink.url, mode: 'exact' });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toMatch(/x-gitlab-token/i);
    const fixture = (await t.call(t.tokens.operator, 'fixtures.save', { ref, name: 'gl' })).body.result as FixtureDetail;
    expect((await t.call(t.tokens.operator, 'fixtures.fire', { id: fixture.id, to: sink.url })).status).toBe(403);
    expect(sink.received).toHaveLength(0);
    // Into its own package an operator may replay it; an admin may send it anywhere.
    expect((await t.call(t.tokens.operator, 'replay.run', { ref, packageId: gitlab.id, mode: 'exact', newId: true })).status).toBe(200);
    expect((await t.call(t.tokens.admin, 'replay.run', { ref, to: sink.url, mode: 'exact' })).status).toBe(200);
    expect(sink.received[0]!.header('x-gitlab-token')).toBe(gitlab.secret);

    const github = await addPackage(t.engine, 'github', 8, 'octo/forged');
    const body = JSON.stringify(githubTagPush(8, 'v2.0.0'));
    const forged = await post(`${t.receiverUrl}/hooks/${github.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, 'not-the-secret'));
    const id = forged.json.delivery as number;
    const asViewer = (await t.call(t.tokens.viewer, 'deliveries.diagnose', { id })).body.result as Diagnosis;
    const asAdmin = (await t.call(t.tokens.admin, 'deliveries.diagnose', { id })).body.result as Diagnosis;
    expect(asAdmin.verdict).toBe('invalid');
    expect(asAdmin.expected).toMatch(/^sha256=/);
    expect(asViewer.verdict).toBe('invalid');
    expect(asViewer.expected).toBeNull();
    expect(JSON.stringify(asViewer)).not.toContain(asAdmin.expected!.slice(7));
  });

  it('a flood of wrong tokens from one address is written as ten rows a minute and one that counts the rest', async () => {
    const { engine } = await startEngine();
    let clock = 1_000_000;
    const access = createAccess(sqliteAccessStore(engine.db), () => clock);
    for (let i = 0; i < 500; i++) access.refused('203.0.113.9', '/api/packages.list');
    access.refused('198.51.100.1', '/api/packages.list');
    clock += 60_000;
    access.refused('203.0.113.9', '/api/packages.list');
    const rows = await access.listAudit(undefined, 1000);
    expect(rows.filter((r) => r.remoteAddress === '198.51.100.1')).toHaveLength(1);
    const flood = rows.filter((r) => r.remoteAddress === '203.0.113.9');
    expect(flood).toHaveLength(12);
    expect(flood.map((r) => r.method)).toContain('(490 more refused requests in that minute)');
  });

  it('behind a proxy, the audit log names the client the proxy saw, not the proxy alone', async () => {
    const t = await setup(true, true);
    const forwarded = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
    expect((await t.call(t.tokens.admin, 'inboxes.add', { name: 'in', dialect: 'none' }, forwarded)).status).toBe(200);
    expect((await t.call('hbk_nope', 'inboxes.list', {}, forwarded)).status).toBe(401);
    const audit = (await t.engine.invoke('audit.list', {})) as AuditEntry[];
    expect(audit.find((a) => a.method === 'inboxes.add')?.remoteAddress).toMatch(/^10\.0\.0\.1 via .*127\.0\.0\.1$/);
    expect(audit.find((a) => a.outcome === 'unauthorised')?.remoteAddress).toMatch(/^10\.0\.0\.1 via /);
  });
});
