import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgInboxHandlers } from '../../src/main/engine/control/pg/inbox-handlers';
import { pgTransferHandlers } from '../../src/main/engine/control/pg/transfer-handlers';
import { IMPORT_LOOKUPS } from '../../src/main/engine/replay/import-statements';
import { pgTransferSql } from '../../src/main/engine/replay/pg-transfer-statements';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import type { MethodName, ParamsOf, PushEvent, ResultOf } from '../../src/shared/contract';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { call } from '../helpers/serve-api';
import { startServeWith, type ServeHandle } from '../helpers/serve-process';
import { seedDeliveryRows, type SeededDelivery } from '../helpers/store-seed';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgTransferHandlers, pgInboxHandlers]);

const T0 = 1_764_000_000_000;

/** Received deliveries of every shape an export carries: a package's, a provider's repeat, an inbox capture with its request line, bytes that are not text. */
function received(inboxId: string): SeededDelivery[] {
  const base = { packageId: null, source: 'direct', tag: null, outcomeReason: null, contentType: 'application/json' } as const;
  return [
    {
      ...base,
      hookId: 'hk_one',
      receivedAt: T0,
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'push'],
        ['X-GitHub-Delivery', 'gh-1'],
      ],
      body: Buffer.from('{"ref":"refs/tags/v1.0.0"}'),
      event: 'push',
      verdict: 'valid',
      statusCode: 202,
      outcome: 'ingested',
      providerDeliveryId: 'gh-1',
      method: null,
      path: null,
    },
    {
      ...base,
      hookId: inboxId,
      receivedAt: T0 + 1000,
      headers: [
        ['Content-Type', 'application/octet-stream'],
        ['Webhook-Id', 'msg_1'],
      ],
      body: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x27, 0x5c]),
      event: 'invoice.paid',
      verdict: 'unchecked',
      statusCode: 200,
      outcome: 'captured',
      providerDeliveryId: 'msg_1',
      method: 'PUT',
      path: "/billing?x=1&y='2'",
      contentType: 'application/octet-stream',
    },
    {
      ...base,
      hookId: 'hk_one',
      receivedAt: T0 + 2000,
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Delivery', 'gh-2'],
      ],
      body: Buffer.from('{"zen":"é ✓"}'),
      event: 'ping',
      verdict: 'invalid',
      statusCode: 401,
      outcome: 'rejected',
      providerDeliveryId: 'gh-2',
      method: null,
      path: null,
    },
  ];
}

/** A bundle of `count` deliveries (with a fixture), written as export writes one. */
function bundle(count: number, options: { tag?: string; failAt?: number } = {}): string {
  const lines = [JSON.stringify({ format: 'hookbench-bundle', version: 1 })];
  for (let n = 0; n < count; n++) {
    const body = n === options.failAt ? Buffer.alloc(4242, 'x') : Buffer.from(`{"n":${n},"tag":"${options.tag ?? ''}"}`);
    lines.push(
      JSON.stringify({
        kind: 'delivery',
        receivedAt: T0 + n,
        providerDeliveryId: `d-${options.tag ?? ''}-${n % 7}`,
        headers: [['Content-Type', 'application/json']],
        bodyBase64: body.toString('base64'),
        statusCode: 200,
      }),
    );
  }
  lines.push(JSON.stringify({ kind: 'fixture', name: `saved ${options.tag ?? ''}`, headers: [['X-A', '1']], bodyBase64: Buffer.from('{}').toString('base64') }));
  return lines.join('\n') + '\n';
}

/** Sends `text` in pieces of `piece` bytes, as the window does; resolves to what import.finish answers. */
async function upload(api: Pick<HandlerStore, 'invoke'>, name: string, text: string, piece = 64 * 1024) {
  const bytes = Buffer.from(text);
  const { uploadId } = await api.invoke('import.begin', { name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += piece) {
    await api.invoke('import.chunk', { uploadId, offset, contentBase64: bytes.subarray(offset, offset + piece).toString('base64') });
  }
  return api.invoke('import.finish', { uploadId });
}

/** A bundle's records, the header's export time left out, and the random mark of the import a fixture came from. */
const recordsOf = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/"origin":"import:[^"]+"/, '"origin":"import"'));

/** Rows an import wrote carry its random mark where a hook id would be. */
const unmarked = (text: string) => text.replace(/import:[A-Za-z0-9_-]{8}/g, 'import:mark');

const count = async (api: HandlerStore, table: string) => Number((await api.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

async function failInsertsOfSize(api: HandlerStore, size: number): Promise<void> {
  if (api.kind === 'sqlite') {
    await api.query(`CREATE TRIGGER fail_import BEFORE INSERT ON deliveries WHEN NEW.body_size = ${size} BEGIN SELECT RAISE(ABORT, 'the disk is full'); END`);
  } else {
    await api.query(`CREATE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION 'the disk is full'; END $f$`);
    await api.query(`CREATE TRIGGER fail_import BEFORE INSERT ON deliveries FOR EACH ROW WHEN (NEW.body_size = ${size}) EXECUTE FUNCTION fail_import()`);
  }
}
const stopFailing = (api: HandlerStore) => api.query('DROP TRIGGER fail_import' + (api.kind === 'postgres' ? ' ON deliveries' : ''));

describe.each(HANDLER_STORES)('export and import on the %s store', (kind) => {
  it('an export imported into an empty store exports again byte for byte, inbox captures back in their inbox', async () => {
    const from = await open(kind);
    const inbox = await from.invoke('inboxes.add', { name: 'Billing', dialect: 'none' });
    await seedDeliveryRows(from.query, received(inbox.id));
    const first = await from.invoke('export.run', { format: 'json' });
    expect(first.count).toBe(3);

    // Into a store holding the same inbox: the capture joins it.
    const into = await open(kind);
    await into.query(`INSERT INTO inboxes (id, name, dialect, created_at) VALUES ($1, 'Billing', 'none', $2)`, [inbox.id, T0]);
    expect(await upload(into, 'workspace.json', first.text, 100)).toEqual({ format: 'bundle', deliveries: 3, fixtures: 0 });
    const second = await into.invoke('export.run', { format: 'json' });
    const before = recordsOf(first.text).map((line) => JSON.parse(line));
    const after = recordsOf(second.text).map((line) => JSON.parse(line));
    const kept = (r: Record<string, unknown>) => [r.receivedAt, r.headers, r.bodyBase64, r.contentType, r.providerDeliveryId, r.statusCode, r.method, r.path];
    expect(after.map(kept)).toEqual(before.map(kept));
    const notIngested = 'not ingested. Replay it to a package to run it through the receiver.';
    expect(after.map((r) => [r.source, r.inboxId, r.outcome, r.outcomeReason])).toEqual([
      ['import', undefined, 'ignored', `Imported from workspace.json; ${notIngested}`],
      ['import', inbox.id, 'captured', 'Imported from workspace.json into inbox Billing; not verified here (replay it into the inbox to check its signature).'],
      ['import', undefined, 'ignored', `Imported from workspace.json; ${notIngested}`],
    ]);

    // Into a store without that inbox, the capture stays an imported row with its request line, and its export imports again.
    let text = second.text;
    for (const name of ['elsewhere.json', 'again.json']) {
      const next = await open(kind);
      expect(await upload(next, name, text)).toEqual({ format: 'bundle', deliveries: 3, fixtures: 0 });
      text = (await next.invoke('export.run', { format: 'json' })).text;
      const records = recordsOf(text).map((line) => JSON.parse(line));
      expect(records.map(kept)).toEqual(before.map(kept));
      expect(records[1]).toMatchObject({ method: 'PUT', outcome: 'ignored', outcomeReason: `Imported from ${name}; ${notIngested}` });
      expect(records[1].inboxId).toBeUndefined();
    }
  });

  it('a HAR export imports back with its bytes, provider ids and inbox request lines', async () => {
    const from = await open(kind);
    const inbox = await from.invoke('inboxes.add', { name: 'Billing', dialect: 'none' });
    await seedDeliveryRows(from.query, received(inbox.id));
    const har = await from.invoke('export.run', { format: 'har' });
    const into = await open(kind);
    await into.query(`INSERT INTO inboxes (id, name, dialect, created_at) VALUES ($1, 'Billing', 'none', $2)`, [inbox.id, T0]);
    expect(await upload(into, 'session.har', har.text)).toEqual({ format: 'har', deliveries: 3, fixtures: 0 });
    const rows = await into.query<{ hook_id: string; body: Uint8Array; provider_delivery_id: string | null; method: string | null; path: string | null; outcome: string }>(
      'SELECT hook_id, body, provider_delivery_id, method, path, outcome FROM deliveries ORDER BY id',
    );
    expect(rows.map((r) => [Buffer.from(r.body).toString('base64'), r.provider_delivery_id, r.method, r.path, r.outcome, r.hook_id === inbox.id])).toEqual([
      [Buffer.from('{"ref":"refs/tags/v1.0.0"}').toString('base64'), 'gh-1', null, null, 'ignored', false],
      [Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x27, 0x5c]).toString('base64'), null, 'PUT', "/billing?x=1&y='2'", 'captured', true],
      [Buffer.from('{"zen":"é ✓"}').toString('base64'), 'gh-2', null, null, 'ignored', false],
    ]);
    expect(await upload(into, 'session.har', har.text)).toEqual({ format: 'har', deliveries: 0, fixtures: 0, alreadyStored: 3 });
  });

  it('imported captures join their inbox, a repeat of one it holds marked as a repeat of it', async () => {
    const api = await open(kind);
    const inbox = await api.invoke('inboxes.add', { name: 'Billing', dialect: 'none' });
    const [held] = await seedDeliveryRows(api.query, [received(inbox.id)[1]!]);
    const capture = (n: number, id: string) =>
      JSON.stringify({
        kind: 'delivery',
        receivedAt: T0 + n,
        providerDeliveryId: id,
        headers: [['Content-Type', 'text/plain']],
        bodyBase64: Buffer.from(`c${n}`).toString('base64'),
        inboxId: inbox.id,
        method: 'POST',
        path: '/',
      });
    const text = [
      JSON.stringify({ format: 'hookbench-bundle', version: 1 }),
      capture(1, 'msg_1'),
      capture(2, 'new_1'),
      capture(3, 'new_1'),
      ...Array.from({ length: 600 }, (_, n) => capture(10 + n, `bulk_${n}`)),
    ].join('\n');
    expect(await upload(api, 'captures.json', text)).toEqual({ format: 'bundle', deliveries: 603, fixtures: 0 });
    const rows = await api.query<{ id: number; hook_id: string; duplicate_of: number | null; outcome: string; outcome_reason: string }>(
      `SELECT id, hook_id, duplicate_of, outcome, outcome_reason FROM deliveries WHERE source = 'import' ORDER BY id`,
    );
    expect(rows.every((r) => r.hook_id === inbox.id)).toBe(true);
    const reason = 'Imported from captures.json into inbox Billing; not verified here (replay it into the inbox to check its signature).';
    expect(rows.slice(0, 4).map((r) => [r.outcome, r.duplicate_of === null ? null : Number(r.duplicate_of), r.outcome_reason])).toEqual([
      ['duplicate', held, `${reason} A repeat of #${held}.`],
      ['captured', null, reason],
      ['duplicate', Number(rows[1]!.id), `${reason} A repeat of #${rows[1]!.id}.`],
      ['captured', null, reason],
    ]);
    expect(rows.filter((r) => r.outcome === 'captured')).toHaveLength(601);
  });

  it('skips what an earlier import stored, keeps a record a file holds twice, and marks a provider repeat as one', async () => {
    const api = await open(kind);
    const text = bundle(10, { tag: 'a' });
    expect(await upload(api, 'a.json', text)).toEqual({ format: 'bundle', deliveries: 10, fixtures: 1 });
    expect(await upload(api, 'a.json', text)).toEqual({ format: 'bundle', deliveries: 0, fixtures: 0, alreadyStored: 11 });
    const [header, ...records] = text.trimEnd().split('\n');
    expect(await upload(api, 'twice.json', [header, records[0], records[0], records[1]].join('\n'))).toEqual({ format: 'bundle', deliveries: 1, fixtures: 0, alreadyStored: 2 });
    expect(await count(api, 'deliveries')).toBe(11);
    const rows = await api.query<{ id: number; duplicate_of: number | null; outcome: string }>(`SELECT id, duplicate_of, outcome FROM deliveries WHERE provider_delivery_id = 'd-a-0' ORDER BY id`);
    // A repeat points to the first copy its own import wrote.
    expect(rows.map((r) => [r.outcome, r.duplicate_of === null ? null : Number(r.duplicate_of)])).toEqual([
      ['ignored', null],
      ['duplicate', Number(rows[0]!.id)],
      ['ignored', null],
    ]);
  });

  it('a cancelled upload leaves nothing, and cannot be finished', async () => {
    const api = await open(kind);
    const bytes = Buffer.from(bundle(50));
    const { uploadId } = await api.invoke('import.begin', { name: 'half.json', size: bytes.length });
    await api.invoke('import.chunk', { uploadId, offset: 0, contentBase64: bytes.subarray(0, 1000).toString('base64') });
    await expect(api.invoke('import.chunk', { uploadId, offset: 10, contentBase64: 'AAAA' })).rejects.toThrow(
      `Upload ${uploadId} has 1000 bytes; a piece at offset 10 does not follow on. Send the piece at 1000.`,
    );
    await expect(api.invoke('import.finish', { uploadId })).rejects.toThrow(`Upload ${uploadId} has 1000 of ${bytes.length} bytes; send the rest first.`);
    expect(await api.invoke('import.cancel', { uploadId })).toEqual({ cancelled: true });
    expect(await api.invoke('import.cancel', { uploadId })).toEqual({ cancelled: false });
    await expect(api.invoke('import.finish', { uploadId })).rejects.toThrow(`No upload ${uploadId} under way`);
    expect(await count(api, 'deliveries')).toBe(0);
    expect(await count(api, 'fixtures')).toBe(0);
  });

  it('an import that fails midway leaves nothing, says why, and the same file imports whole afterwards', async () => {
    const api = await open(kind);
    const text = bundle(1200, { failAt: 900 });
    await failInsertsOfSize(api, 4242);
    await expect(upload(api, 'big.json', text, 256 * 1024)).rejects.toThrow(/the disk is full/);
    expect(await count(api, 'deliveries')).toBe(0);
    expect(await count(api, 'fixtures')).toBe(0);
    expect(await api.query(`SELECT key FROM settings WHERE key LIKE 'import.%'`)).toEqual([]);
    await stopFailing(api);
    expect(await upload(api, 'big.json', text, 256 * 1024)).toEqual({ format: 'bundle', deliveries: 1200, fixtures: 1 });
    const progress = api.events.filter((e): e is Extract<PushEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', task: 'import big.json', done: 1201, total: 1201 });
  });

  it('looks each record up by an index, never by reading the table', async () => {
    const api = await open(kind);
    await upload(api, 'held.json', bundle(1500, { tag: 'h' }));
    await api.query('ANALYZE');
    const lookups =
      api.kind === 'sqlite'
        ? [IMPORT_LOOKUPS.byKey.replace('?', "'k.1'"), IMPORT_LOOKUPS.firstCopy.replace('?', "'import:abc'").replace('?', "'d-1'")]
        : [
            pgTransferSql.isStored.text.replace('$1', "'k.1'"),
            pgTransferSql.storedKeys.text.replace('$1', "ARRAY['k.1','j.1']"),
            pgTransferSql.firstCopy.text.replace('$1', "'import:abc'").replace('$2', "'d-1'"),
          ];
    for (const lookup of lookups) {
      const plan = (await api.query<Record<string, string>>(`EXPLAIN ${api.kind === 'sqlite' ? 'QUERY PLAN ' : ''}${lookup}`)).map((row) => row.detail ?? row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/deliveries_import_key|deliveries_provider_id_unique/);
      expect(plan).not.toMatch(/Seq Scan|SCAN deliveries$/m);
    }
  });

  it('refuses a bad file naming the place, importing nothing', async () => {
    const api = await open(kind);
    const text = bundle(3).replace('"statusCode":200', '"statusCode":42');
    await expect(upload(api, 'bad.json', text)).rejects.toThrow(/bad\.json line 2: statusCode: must be an HTTP status \(100–599\), or 0 for none; nothing was imported\./);
    expect(await count(api, 'deliveries')).toBe(0);
  });
});

describe('export from PostgreSQL', () => {
  it('gives the same text as from SQLite for the same rows, in every format', async () => {
    const [sqlite, postgres] = [await open('sqlite'), await open('postgres')];
    for (const api of [sqlite, postgres]) {
      await api.query(`INSERT INTO inboxes (id, name, dialect, created_at) VALUES ('in_sameinbox01', 'Billing', 'none', $1)`, [T0]);
      await seedDeliveryRows(api.query, received('in_sameinbox01'));
      await upload(api, 'more.json', bundle(5, { tag: 'b' }));
    }
    for (const format of ['json', 'har', 'curl'] as const) {
      const [a, b] = [await sqlite.invoke('export.run', { format }), await postgres.invoke('export.run', { format })];
      expect(b.count).toBe(a.count);
      if (format === 'json') expect(recordsOf(b.text)).toEqual(recordsOf(a.text));
      else expect(unmarked(b.text)).toBe(unmarked(a.text));
    }
    const some = { format: 'json' as const, ids: [2, 5, 99], fixtures: false };
    expect(recordsOf((await postgres.invoke('export.run', some)).text)).toEqual(recordsOf((await sqlite.invoke('export.run', some)).text));
  });
});

describe('import on a team server', () => {
  const box = () => {
    const key = randomBytes(32);
    return keyRingBox(
      'shared-key',
      () => [key],
      () => key,
      'HOOKBENCH_SECRET_KEY',
    );
  };
  async function instance(url: string) {
    const engine = await createTeamEngine({ url, box: box() });
    onTestFinished(() => engine.close());
    return {
      bus: engine.bus,
      invoke: <M extends MethodName>(method: M, params: ParamsOf<M>) => engine.invoke(method, params) as Promise<ResultOf<M>>,
    };
  }
  /** Plain SQL on the team's database, beside the instances. */
  function direct(url: string): pg.Pool {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    onTestFinished(() => pool.end());
    return pool;
  }
  const staged = async (pool: pg.Pool) => ({
    uploads: Number((await pool.query(`SELECT count(*) AS n FROM settings WHERE key LIKE 'import.upload:%'`)).rows[0].n),
    bytes: Number((await pool.query('SELECT count(*) AS n FROM pg_largeobject_metadata')).rows[0].n),
  });

  it('takes the pieces of one file through either instance, and what one imports the other lists', async () => {
    const url = cluster.createDatabase('team_import');
    const [a, b] = [await instance(url), await instance(url)];
    const bytes = Buffer.from(bundle(40, { tag: 't' }));
    const { uploadId } = await a.invoke('import.begin', { name: 'team.json', size: bytes.length });
    for (let offset = 0, n = 0; offset < bytes.length; offset += 500, n++) {
      await (n % 2 ? b : a).invoke('import.chunk', { uploadId, offset, contentBase64: bytes.subarray(offset, offset + 500).toString('base64') });
    }
    expect(await b.invoke('import.finish', { uploadId })).toEqual({ format: 'bundle', deliveries: 40, fixtures: 1 });
    expect(await a.invoke('deliveries.count', {})).toEqual({ count: 40 });
    expect((await a.invoke('fixtures.list', {})).map((f) => f.name)).toEqual(['saved t']);
    expect(await staged(direct(url))).toEqual({ uploads: 0, bytes: 0 });
  });

  it('the same file imported through two instances at once is stored once', async () => {
    const url = cluster.createDatabase('team_import_twice');
    const [a, b] = [await instance(url), await instance(url)];
    const bytes = Buffer.from(bundle(2000, { tag: 'twice' }));
    const staged = await Promise.all(
      [a, b].map(async (engine) => {
        const { uploadId } = await engine.invoke('import.begin', { name: 'twice.json', size: bytes.length });
        await engine.invoke('import.chunk', { uploadId, offset: 0, contentBase64: bytes.toString('base64') });
        return { engine, uploadId };
      }),
    );
    const outcomes = await Promise.allSettled(staged.map(({ engine, uploadId }) => engine.invoke('import.finish', { uploadId })));
    // Whichever commits second finds the records stored, or is refused whole saying why.
    const stored = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.deliveries : 0));
    expect(stored.reduce((x, y) => x + y, 0)).toBe(2000);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(String(o.reason)).toMatch(/twice\.json: another import of the same records finished first; nothing was imported\./);
      else expect([0, 2000]).toContain(o.value.deliveries);
    }
    expect(await a.invoke('deliveries.count', {})).toEqual({ count: 2000 });
  });

  it('an instance whose connection dies midway through an import leaves nothing of it, and a cancelled upload no bytes', async () => {
    const url = cluster.createDatabase('team_import_dies');
    const [a, b] = [await instance(url), await instance(url)];
    const sql = direct(url);
    const bytes = Buffer.from(bundle(3000, { tag: 'k' }));
    const cancelled = await a.invoke('import.begin', { name: 'gone.json', size: bytes.length });
    await b.invoke('import.chunk', { uploadId: cancelled.uploadId, offset: 0, contentBase64: bytes.subarray(0, 5000).toString('base64') });
    expect(await staged(sql)).toEqual({ uploads: 1, bytes: 1 });
    expect(await a.invoke('import.cancel', { uploadId: cancelled.uploadId })).toEqual({ cancelled: true });
    expect(await staged(sql)).toEqual({ uploads: 0, bytes: 0 });

    const { uploadId } = await a.invoke('import.begin', { name: 'big.json', size: bytes.length });
    await a.invoke('import.chunk', { uploadId, offset: 0, contentBase64: bytes.toString('base64') });
    const progress: PushEvent[] = [];
    b.bus.subscribe((event) => event.type === 'progress' && progress.push(event));
    const finishing = b.invoke('import.finish', { uploadId });
    finishing.catch(() => undefined);
    await waitUntil(
      async () => progress.some((e) => e.type === 'progress' && e.done >= 500),
      (seen) => seen,
    );
    // As when the instance dies: its connection goes, and PostgreSQL rolls the import back.
    const killed = await sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query ~ '"deliveries"|lo_get'`,
    );
    expect(killed.rowCount).toBe(1);
    await expect(finishing).rejects.toThrow();
    expect(await a.invoke('deliveries.count', {})).toEqual({ count: 0 });
    expect(Number((await sql.query('SELECT count(*) AS n FROM fixtures')).rows[0].n)).toBe(0);
    await waitUntil(
      () => staged(sql),
      (now) => now.uploads === 0,
    );
    expect(await staged(sql)).toEqual({ uploads: 0, bytes: 0 });
  });
});

describe('import on serve --database processes', () => {
  it('an instance killed (SIGKILL) midway through an import leaves nothing of it; another instance cancels the upload it left, and imports the file whole', { timeout: 180_000 }, async () => {
    const url = cluster.createDatabase('team_import_killed');
    const env = { HOOKBENCH_SECRET_KEY: randomBytes(32).toString('base64') };
    const [a, b] = await Promise.all([startServeWith(['--database', url], env), startServeWith(['--database', url], env)]);
    onTestFinished(() => Promise.all([a.stop('SIGKILL'), b.stop()]).then(() => undefined));
    const sql = new pg.Pool({ connectionString: url, max: 1 });
    onTestFinished(() => sql.end());
    const bytes = Buffer.from(bundle(15_000, { tag: 'killed' }));
    const send = async (serve: ServeHandle) => {
      const { uploadId, chunkBytes } = await call<{ uploadId: string; chunkBytes: number }>(serve, 'import.begin', { name: 'big.json', size: bytes.length });
      for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
        await call(serve, 'import.chunk', { uploadId, offset, contentBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
      }
      return uploadId;
    };
    const uploadId = await send(a);
    const finishing = call(a, 'import.finish', { uploadId });
    finishing.catch(() => undefined);
    // Killed once its import has written rows (not yet committed).
    await waitUntil(
      async () => Number((await sql.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL AND query ~ '"deliveries"'`)).rows[0].n),
      (writing) => writing > 0,
    );
    await a.stop('SIGKILL');
    await expect(finishing).rejects.toThrow();
    await waitUntil(
      async () => Number((await sql.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL`)).rows[0].n),
      (open) => open === 0,
    );
    expect(await call(b, 'deliveries.count', {})).toEqual({ count: 0 });
    expect(Number((await sql.query('SELECT count(*) AS n FROM fixtures')).rows[0].n)).toBe(0);
    expect(await call(b, 'import.cancel', { uploadId })).toEqual({ cancelled: true });
    expect(Number((await sql.query('SELECT count(*) AS n FROM pg_largeobject_metadata')).rows[0].n)).toBe(0);
    expect(await call(b, 'import.finish', { uploadId: await send(b) })).toEqual({ format: 'bundle', deliveries: 15_000, fixtures: 1 });
    expect(await call(b, 'deliveries.count', {})).toEqual({ count: 15_000 });
  });
});
