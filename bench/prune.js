// Receiver latency at a steady rate while serve prunes a large table in the background, against
// the same rate idle, in one run.
//   node bench/prune.js            (after a build; PRUNE_BENCH_ROWS=200000 PRUNE_BENCH_RATE=1000)
// The data dir is filled with PRUNE_BENCH_ROWS deliveries a year old (about 1.6 KB of body each);
// serve takes signed tag pushes at PRUNE_BENCH_RATE/s; then a 30-day policy is set through the
// control API and serve's own pruner removes them (a few milliseconds per transaction, then the
// incremental vacuum gives the pages back). Latency runs from each request's scheduled time.
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fillDataDir } from './storage-data.js';

const ROWS = Number(process.env.PRUNE_BENCH_ROWS ?? 200_000);
const RATE = Number(process.env.PRUNE_BENCH_RATE ?? 1000);
// PRUNE_BENCH_BIN runs another build (an older checkout's bin/hookbench.js) against the same bench.
const BIN = process.env.PRUNE_BENCH_BIN ?? new URL('../bin/hookbench.js', import.meta.url).pathname;
// A slow pruner is measured over at most this long (rows removed per second), rather than waited out.
const PRUNE_MAX_MS = Number(process.env.PRUNE_BENCH_MAX_MS ?? Infinity);
const dir = join(mkdtempSync(join(tmpdir(), 'hookbench-prune-bench-')), 'data');
const YEAR = 365 * 86_400_000;
let t0 = performance.now();
fillDataDir(dir, ROWS, Date.now() - YEAR);
console.log(`filled ${ROWS} deliveries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const file = join(dir, 'hookbench.sqlite');
const sizeBefore = statSync(file).size;

const pkg = JSON.parse(execFileSync(process.execPath, [BIN, 'package', 'add', '--provider', 'github', '--repo', 'o/prune', '--repo-id', '4711', '--data-dir', dir, '--json']));
const serve = spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, '--port', '0', '--receiver-port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
let buf = '';
const info = await new Promise((res) => serve.stdout.on('data', (c) => { buf += c; try { res(JSON.parse(buf)); } catch { /* the JSON spans several chunks */ } }));
const url = new URL(info.receiver + '/hooks/' + pkg.hookUrl.split('/hooks/')[1]);
const ui = new URL(info.ui);
const api = async (method, params) => {
  const res = await fetch(`${ui.origin}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${ui.searchParams.get('token')}`, 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return (await res.json()).result;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const answers = [];
let seq = 0;
function fire(scheduled) {
  const body = JSON.stringify({ ref: `refs/tags/v7.${seq++}.0`, repository: { id: 4711, full_name: 'o/prune' }, after: 'a'.repeat(40), before: '0'.repeat(40), created: true, deleted: false });
  const sig = 'sha256=' + createHmac('sha256', pkg.secret).update(body).digest('hex');
  const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sig, 'content-length': Buffer.byteLength(body) } }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => answers.push({ at: scheduled, ms: performance.now() - scheduled, status: res.statusCode, id: res.statusCode < 300 ? JSON.parse(text).delivery : null }));
  });
  req.on('error', (error) => answers.push({ at: scheduled, ms: performance.now() - scheduled, status: null, error: error.message }));
  req.end(body);
}
// Requests on their own schedule: each 5 ms tick sends what is due, stamped with when it was due.
const started = performance.now();
let sent = 0;
const ticker = setInterval(() => {
  const due = Math.floor(((performance.now() - started) / 1000) * RATE);
  for (; sent < due; sent++) fire(started + (sent * 1000) / RATE);
}, 5);

const reader = new Database(file, { readonly: true });
// The filled rows are the 'hook_bench' address's: counted on the retention index, not by reading the table.
const old = () => reader.prepare("SELECT count(*) FROM deliveries WHERE coalesce(package_id, hook_id) = 'hook_bench'").pluck().get();
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
// Long enough for what a fresh serve does first (the background sealing of older stored headers reads every row).
await wait(Number(process.env.PRUNE_BENCH_WARMUP_MS ?? 30_000));
const idleFrom = performance.now();
await wait(10_000);
const idleTo = performance.now();
await api('retention.set', { days: 30 });
let pruneFrom = null;
const setAt = performance.now();
while (old() > 0 && performance.now() - (pruneFrom ?? setAt) < PRUNE_MAX_MS) {
  if (pruneFrom === null && old() < ROWS) pruneFrom = performance.now() - 250;
  await wait(250);
}
const pruneTo = performance.now();
pruneFrom ??= pruneTo;
const pruned = ROWS - old();
await wait(5000);
const againFrom = performance.now();
await wait(10_000);
const againTo = performance.now();
clearInterval(ticker);
await wait(2000);
serve.kill('SIGTERM');
await new Promise((r) => serve.once('exit', r));
agent.destroy();

const pct = (list, q) => (list.length ? list[Math.min(list.length - 1, Math.floor(list.length * q))] : NaN);
const phase = (name, from, to) => {
  const inside = answers.filter((a) => a.at >= from && a.at < to);
  const lat = inside.map((a) => a.ms).sort((a, b) => a - b);
  const row = { phase: name, seconds: +((to - from) / 1000).toFixed(1), n: inside.length, p50: +pct(lat, 0.5).toFixed(1), p99: +pct(lat, 0.99).toFixed(1), max: +(lat.at(-1) ?? NaN).toFixed(1), non2xx: inside.filter((a) => !(a.status >= 200 && a.status < 300)).length };
  console.log(`${name.padEnd(12)} ${String(row.seconds).padStart(5)} s  n=${row.n}  p50=${row.p50} ms  p99=${row.p99} ms  max=${row.max} ms  non-2xx=${row.non2xx}`);
  return row;
};
console.log(`\nreceiver at ${RATE}/s; ${ROWS} year-old deliveries pruned by serve's background pruner (SQLite WAL, synchronous=FULL for acknowledged rows)`);
const idle = phase('idle', idleFrom, idleTo);
const pruning = phase('pruning', pruneFrom, pruneTo);
const again = phase('idle again', againFrom, againTo);
// A capped run leaves the pruner working through "idle again": only the first idle phase is idle then.
const finished = pruned === ROWS;
const ratio = pruning.p99 / (finished ? Math.max(idle.p99, again.p99) : idle.p99);
// Where in the prune the slow answers fell: p99 per 10 s window.
const windows = [];
for (let from = pruneFrom; from < pruneTo; from += 10_000) {
  const lat = answers.filter((a) => a.at >= from && a.at < Math.min(pruneTo, from + 10_000)).map((a) => a.ms).sort((a, b) => a - b);
  windows.push(Math.round(pct(lat, 0.99)));
}
console.log(`pruning p99 per 10 s window (ms): ${windows.join(' ')}`);
// Ledger: every acknowledged delivery is stored.
const db = new Database(file, { readonly: true });
const stored = new Set(db.prepare('SELECT id FROM deliveries').pluck().all());
const acknowledged = answers.filter((a) => a.id);
const lost = acknowledged.filter((a) => !stored.has(a.id)).length;
const sizeAfter = statSync(file).size;
db.close();
console.log(`prune: ${pruned} of ${ROWS} rows in ${((pruneTo - pruneFrom) / 1000).toFixed(1)} s (${Math.round(pruned / ((pruneTo - pruneFrom) / 1000))} rows/s); database ${(sizeBefore / 1024 ** 2).toFixed(0)} MB → ${(sizeAfter / 1024 ** 2).toFixed(0)} MB`);
console.log(`p99 while pruning / idle p99 (${finished ? 'the larger of the two idle phases' : 'the first idle phase; the prune was cut off'}): ${ratio.toFixed(2)} (goal ≤ 2)`);
const odd = answers.filter((a) => !(a.status >= 200 && a.status < 300));
if (odd.length) console.log(`not 2xx: ${odd.slice(0, 5).map((a) => a.status ?? a.error).join('; ')}${odd.length > 5 ? ' …' : ''}`);
console.log(`ledger: sent ${answers.length}, acknowledged ${acknowledged.length}, lost ${lost}${lost ? ' — VOID' : ''}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/prune-${Date.now()}.json`, import.meta.url), JSON.stringify({ rows: ROWS, pruned, pruneSeconds: (pruneTo - pruneFrom) / 1000, rate: RATE, idle, pruning, again, ratio, windows, sizeBefore, sizeAfter, lost }, null, 2));
