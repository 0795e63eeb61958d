// `node bench/team-serve.js [--database postgres://…] [--count N] [--rounds N] [--instances 1,2,3]`, after
// `npm run build`: the whole receiver path (HTTP, signature check, group commit, ingest behind it)
// of `hookbench serve`, on a data dir (SQLite) beside `serve --database` with 1, 2 and 3 instances
// on one PostgreSQL database, in the same run. A client sends signed GitHub tag pushes round robin
// over the instances, keeping 64 in flight, and counts a delivery once it is answered 2xx; then
// the stored rows are counted (every acknowledged delivery a row, nothing else).
// Without --database it starts a throwaway PostgreSQL cluster (Debian's packages, fsync on); with
// one, it creates (and drops) a scratch database per run on that server (needs CREATEDB).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startPostgres } from '../test/helpers/postgres-cluster.ts';
import { scratchPostgres, sqliteDeliveryCount } from './scratch-stores.js';
import { startServer } from './procs.js';
import { median, round } from './stats.js';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    count: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1,2,3' },
  },
});
const TOTAL = Number(args.count);
const ROUNDS = Number(args.rounds);
const INSTANCES = args.instances.split(',').map(Number);
const IN_FLIGHT = 64;
const BIN = fileURLToPath(new URL('../bin/hookbench.js', import.meta.url));
// Every instance of a team server seals with the same key; the children inherit it.
process.env.HOOKBENCH_SECRET_KEY = randomBytes(32).toString('base64');

const cluster = args.database ? null : await startPostgres({ fsync: true });
const server = args.database ?? cluster.url;
const scratch = mkdtempSync(join(tmpdir(), 'hookbench-team-bench-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** A fresh, empty store of each kind: the serve arguments that reach it, how to count its rows, how to drop it. */
const stores = {
  sqlite: async () => {
    const dir = join(scratch, `run-${++runs}`);
    return {
      serveArgs: ['--data-dir', dir],
      stored: async () => sqliteDeliveryCount(dir),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  postgres: async () => {
    const db = await scratchPostgres(server, `hookbench_team_bench_${process.pid}_${++runs}`);
    return { serveArgs: ['--database', db.url], stored: db.stored, drop: db.drop };
  },
};

async function call(ui, method, params) {
  const url = new URL(ui);
  const res = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(`${method}: ${answer.error?.message}`);
  return answer.result;
}

function post(agent, url, body, headers) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
    });
    req.once('error', () => resolve(null));
    req.end(body);
  });
}

async function measure(kind, instances) {
  const store = await stores[kind]();
  // Started one after another: the first migrates an empty database, the others find it done.
  const serves = [];
  try {
    for (let i = 0; i < instances; i++) serves.push(await startServer([BIN, 'serve', ...store.serveArgs, '--port', '0', '--receiver-port', '0', '--json'], { timeoutMs: 60_000 }));
    const pkg = await call(serves[0].info.ui, 'packages.add', { provider: 'github', repo: 'bench/widgets', repoId: '4242' });
    const path = new URL(pkg.hookUrl).pathname;
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    let next = 0;
    let acknowledged = 0;
    let refused = 0;
    const started = performance.now();
    async function lane() {
      for (let n = next++; n < TOTAL; n = next++) {
        const body = JSON.stringify({ ref: `refs/tags/v3.${n}.0`, after: randomBytes(20).toString('hex'), before: '0'.repeat(40), created: true, deleted: false, repository: { id: 4242, full_name: 'bench/widgets' } });
        const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': 'sha256=' + createHmac('sha256', pkg.secret).update(body).digest('hex') };
        const status = await post(agent, serves[n % instances].info.receiver + path, body, headers);
        if (status !== null && status < 300) acknowledged++;
        else refused++;
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const ms = performance.now() - started;
    agent.destroy();
    const stored = await store.stored();
    const ledger = stored === acknowledged && refused === 0 ? 'balanced' : `VOID (acknowledged ${acknowledged}, stored ${stored}, refused ${refused})`;
    return { kind, instances, acknowledged, perSecond: (acknowledged / ms) * 1000, ledger };
  } finally {
    for (const serve of serves) await serve.stop();
    await store.drop();
  }
}

const started = Date.now();
const all = [];
console.log(`Team serve bench: ${TOTAL} signed tag pushes per run through serve's receiver, ${IN_FLIGHT} in flight, round robin; ${ROUNDS} rounds.`);
console.log('store     instances  round  deliv/s  ledger');
for (let r = 1; r <= ROUNDS; r++) {
  // The baseline: one serve on a data dir (a data dir has one serve).
  const baseline = { round: r, ...(await measure('sqlite', 1)) };
  all.push(baseline);
  console.log(`${'sqlite'.padEnd(9)} ${'1'.padStart(9)}  ${String(r).padStart(5)}  ${String(Math.round(baseline.perSecond)).padStart(7)}  ${baseline.ledger}`);
  for (const instances of INSTANCES) {
    const run = { round: r, ...(await measure('postgres', instances)) };
    all.push(run);
    console.log(`${'postgres'.padEnd(9)} ${String(instances).padStart(9)}  ${String(r).padStart(5)}  ${String(Math.round(run.perSecond)).padStart(7)}  ${run.ledger}`);
  }
}

const figure = (kind, instances) => median(all.filter((x) => x.kind === kind && x.instances === instances && x.ledger === 'balanced').map((x) => x.perSecond));
const sqlite = figure('sqlite', 1);
const summary = INSTANCES.map((instances) => {
  const postgres = figure('postgres', instances);
  return { instances, postgres: round(postgres, 0), ratioToSqlite: sqlite && postgres ? round(postgres / sqlite) : null };
});
console.log(`\nmedian deliveries/s: one serve on a data dir ${round(sqlite, 0)}`);
console.log('serve --database instances  deliv/s  /sqlite');
for (const s of summary) console.log(`${String(s.instances).padStart(26)}  ${String(s.postgres).padStart(7)}  ${s.ratioToSqlite}`);
console.log(`PostgreSQL: ${cluster ? 'a throwaway cluster on this machine (fsync on)' : 'the server given'}, synchronous_commit = on for deliveries. Client, servers and database share this machine's cores.`);
console.log(`wall time ${Math.round((Date.now() - started) / 1000)} s`);

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const at = new Date().toISOString();
const file = `${dir}team-serve-${at.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at, settings: { total: TOTAL, rounds: ROUNDS, instances: INSTANCES, inFlight: IN_FLIGHT }, runs: all, summary, sqlite: round(sqlite, 0) }, null, 2) + '\n');
console.log(`\nJSON: ${file}`);
cluster?.stop();
