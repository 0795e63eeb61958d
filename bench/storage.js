// Receiver latency while `hookbench backup` and `hookbench status` run beside a serve under load.
//   node bench/storage.js [DATA_DIR] [OUT_DIR]
// Without DATA_DIR, a data dir of 200,000 deliveries is made first (about 20 s). Backups go to
// OUT_DIR (default: the data dir's parent); on another disk they cost the receiver nothing.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fillDataDir } from './storage-data.js';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
const BIN = new URL('../bin/hookbench.js', import.meta.url).pathname;
const dir = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'hookbench-storage-bench-')), 'data');
if (!process.argv[2]) fillDataDir(dir, 200_000);
const outDir = process.argv[3] ?? dirname(dir);
const pkg = JSON.parse(execFileSync(process.execPath, [BIN, 'package', 'add', '--provider', 'github', '--repo', 'o/bench' + Date.now(), '--repo-id', String(Date.now() % 1e9), '--data-dir', dir, '--json']));
const repoId = Number(JSON.parse(execFileSync(process.execPath, [BIN, 'package', 'show', pkg.id, '--data-dir', dir, '--json'])).repoId);
const serve = spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, '--port', '0', '--receiver-port', '0', '--no-ui', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
let buf = '';
const info = await new Promise((res) => serve.stdout.on('data', (c) => { buf += c; try { res(JSON.parse(buf)); } catch { /* the JSON spans several chunks: keep reading */ } }));
const url = new URL(info.receiver + '/hooks/' + pkg.hookUrl.split('/hooks/')[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let seq = 0;
function fire(sink) {
  const body = JSON.stringify({ ref: `refs/tags/v7.${seq++}.0`, repository: { id: repoId, full_name: 'o/bench' }, after: 'a'.repeat(40), before: '0'.repeat(40), created: true, deleted: false });
  const sig = 'sha256=' + createHmac('sha256', pkg.secret).update(body).digest('hex');
  const t = performance.now();
  const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sig, 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => sink.push({ ms: performance.now() - t, status: res.statusCode })); });
  req.end(body);
}
async function phase(name, ms, during) {
  const sink = [];
  const timer = setInterval(() => fire(sink), 1000 / 500);
  const extra = during ? during() : new Promise((r) => setTimeout(r, ms));
  await extra; clearInterval(timer);
  await new Promise((r) => setTimeout(r, 500));
  const lat = sink.map((a) => a.ms).sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.floor(lat.length * q))].toFixed(1);
  console.log(`${name}: n=${lat.length} p50=${p(0.5)} ms p99=${p(0.99)} ms max=${lat.at(-1).toFixed(1)} ms non2xx=${sink.filter((a) => a.status >= 300).length}`);
}
await phase('warm-up (500/s)', 6000);
await phase('idle (500/s)', 6000);
await phase('during backup (500/s)', 0, () => new Promise((res) => { const t = Date.now(); const c = spawn(process.execPath, [BIN, 'backup', '--out', `${outDir}/lat-${Date.now()}.sqlite`, '--data-dir', dir], { stdio: 'inherit' }); c.on('exit', () => { console.log('backup took', Date.now() - t, 'ms'); res(); }); }));
await phase('idle again (500/s)', 6000);
await phase('during status (500/s)', 0, () => new Promise((res) => { const c = spawn(process.execPath, [BIN, 'status', '--data-dir', dir], { stdio: 'ignore' }); c.on('exit', res); }));
serve.kill('SIGTERM');
agent.destroy();
await new Promise((r) => serve.once('exit', r));
// What the start-up check costs when it runs (after an unclean close): every page read once.
const { default: Database } = await import('better-sqlite3');
const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
const started = performance.now();
const verdict = db.pragma('quick_check', { simple: true });
console.log(`quick_check: ${verdict}, ${Math.round(performance.now() - started)} ms for ${db.prepare('SELECT count(*) FROM deliveries').pluck().get()} deliveries`);
db.close();
