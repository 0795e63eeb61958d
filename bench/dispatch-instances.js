// Dispatchers side by side: 2,000 signed messages to a local sink, drained by 1, 2 and 3
// `hookbench dispatch` processes on one store — a SQLite data dir, then a PostgreSQL database
// (`--database postgres://…` on a server of yours, else a throwaway cluster this bench starts
// from Debian's PostgreSQL programs). Alternating rounds; medians and the ratios printed.
// `node bench/dispatch-instances.js [--database URL] [--rounds N] [--count N]` (after `npm run build`).
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { run, startServer } from './procs.js';
import { median } from './stats.js';

const { values: args } = parseArgs({ options: { database: { type: 'string' }, rounds: { type: 'string' }, count: { type: 'string' } } });
const ROUNDS = Number(args.rounds ?? 3);
const COUNT = Number(args.count ?? 2000);
const MAX_IN_FLIGHT = 32;
const DISPATCHERS = [1, 2, 3];
const CLI = fileURLToPath(new URL('../bin/hookbench.js', import.meta.url));
const SINK = fileURLToPath(new URL('./sink-server.js', import.meta.url));
const KEY = randomBytes(32);
process.env.HOOKBENCH_SECRET_KEY = KEY.toString('base64');

/** Sealed as the engine seals with a shared key (aesgcm1: iv, tag, ciphertext). */
function seal(plain) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return 'aesgcm1:' + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** A store under test: where dispatchers point, and plain SQL on it ($n parameters). */
async function sqliteStore() {
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-dispatchers-'));
  await run([CLI, 'status', '--data-dir', dir, '--json']); // creates and migrates the data dir
  const db = new Database(join(dir, 'hookbench.sqlite'));
  db.pragma('busy_timeout = 10000');
  return {
    args: ['--data-dir', dir],
    TRUE: '1',
    async query(text, params = []) {
      const order = [...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]) - 1);
      const statement = db.prepare(text.replace(/\$\d+/g, '?'));
      const values = order.map((i) => params[i]);
      return statement.reader ? statement.all(...values) : (statement.run(...values), []);
    },
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let databases = 0;
async function postgresStore(serverUrl) {
  const name = `hookbench_bench_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.href, max: 2 });
  return {
    args: ['--database', url.href],
    TRUE: 'true',
    async query(text, params = []) {
      return (await pool.query(text, params)).rows;
    },
    async close() {
      await pool.end();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

async function seed(store, sinkUrl) {
  const at = Date.now();
  await store.query(
    `INSERT INTO endpoints (id, name, url, dialect, events, secret_sealed, active, max_in_flight, timeout_ms, created_at, updated_at) VALUES ('ep_bench', 'sink', $1, 'standard-webhooks', '["release.published"]', $2, ${store.TRUE}, $3, 15000, $4, $4)`,
    [sinkUrl, seal(`whsec_${randomBytes(24).toString('base64')}`), MAX_IN_FLIGHT, at],
  );
  const body = Buffer.from(JSON.stringify({ type: 'release.published', data: { pad: 'x'.repeat(640) } }));
  for (let from = 0; from < COUNT; from += 200) {
    const values = [];
    const tuples = [];
    for (let n = from; n < Math.min(COUNT, from + 200); n++) {
      const p = values.length;
      values.push(`msg_${n}`, body, at);
      tuples.push(`($${p + 1}, 'ep_bench', 'release.published', $${p + 2}, 'application/json', 'trigger', 'pending', $${p + 3}, $${p + 3}, $${p + 3})`);
    }
    await store.query(`INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, next_attempt_at, created_at, updated_at) VALUES ${tuples.join(', ')}`, values);
  }
}

async function measure(makeStore, dispatchers, sinkUrl) {
  const store = await makeStore();
  const procs = [];
  try {
    // Started first (each migrates or finds the store migrated), then the work arrives at once.
    for (let i = 0; i < dispatchers; i++) procs.push(await startServer([CLI, 'dispatch', ...store.args, '--json'], { timeoutMs: 30_000 }));
    const started = performance.now();
    await seed(store, sinkUrl);
    for (;;) {
      const [row] = await store.query("SELECT count(*) AS n FROM messages WHERE state = 'succeeded'");
      if (Number(row.n) >= COUNT) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const [attempts] = await store.query('SELECT count(*) AS n FROM attempts');
    return { perSecond: Math.round(COUNT / seconds), attempts: Number(attempts.n) };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await store.close();
  }
}

let cluster = null;
let serverUrl = args.database;
if (!serverUrl) {
  // Node runs the test helper's TypeScript as it is (type stripping).
  const { startPostgres } = await import('../test/helpers/postgres-cluster.ts');
  cluster = await startPostgres({ fsync: true });
  serverUrl = cluster.url;
}
const stores = { sqlite: sqliteStore, postgres: () => postgresStore(serverUrl) };
const sink = await startServer([SINK]);
const runs = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const n of round % 2 ? DISPATCHERS : [...DISPATCHERS].reverse()) {
      for (const store of round % 2 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite']) {
        const r = await measure(stores[store], n, sink.info.url);
        runs.push({ store, dispatchers: n, round, ...r });
        process.stderr.write(`round ${round} ${store} ×${n}: ${r.perSecond}/s\n`);
      }
    }
  }
} finally {
  await sink.stop();
  cluster?.stop();
}

const out = (s = '') => process.stdout.write(s + '\n');
const med = (store, n) => median(runs.filter((r) => r.store === store && r.dispatchers === n).map((r) => r.perSecond));
out(`Dispatchers side by side — ${COUNT} messages, endpoint max in flight ${MAX_IN_FLIGHT} (held across the processes), ${ROUNDS} rounds alternating.`);
out(`PostgreSQL: ${cluster ? 'a throwaway cluster on this machine (fsync on, synchronous_commit off for claims and attempt records)' : 'the server given'}.`);
out('store      dispatchers  msg/s (median)  rounds                vs 1 dispatcher');
for (const store of ['sqlite', 'postgres']) {
  for (const n of DISPATCHERS) {
    const each = runs.filter((r) => r.store === store && r.dispatchers === n).map((r) => r.perSecond);
    out(`${store.padEnd(9)}  ${String(n).padEnd(11)}  ${String(med(store, n)).padStart(14)}  ${each.join(', ').padEnd(20)}  ${(med(store, n) / med(store, 1)).toFixed(2)}`);
  }
}
for (const n of DISPATCHERS) out(`ratio postgres/sqlite with ${n}: ${(med('postgres', n) / med('sqlite', n)).toFixed(2)}`);
const wrong = runs.filter((r) => r.attempts !== COUNT);
out(wrong.length ? `ATTEMPTS NOT ${COUNT}: ${JSON.stringify(wrong)}` : `every run: ${COUNT} attempts recorded for ${COUNT} messages (none sent twice).`);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = join(dir, `dispatch-instances-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ count: COUNT, maxInFlight: MAX_IN_FLIGHT, runs }, null, 2));
out(`JSON: ${file}`);
