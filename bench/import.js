// Import of a 100,000-record bundle into an empty data dir and into one holding 200,000
// deliveries (half received, half imported earlier): the two rates should be within 20 %.
//   node bench/import.js            (after `npm run build`; IMPORT_BENCH_ROUNDS=N, default 2)
// Each round imports into a fresh copy of both data dirs, rotating which goes first. The time
// is the whole `hookbench import` process: start, the checking pass and the writing pass.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { makeDeliveries, writeBundle } from './ui-data.js';

const BIN = new URL('../bin/hookbench.js', import.meta.url).pathname;
const RECORDS = 100_000;
const HELD = 200_000;
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 2);
const root = mkdtempSync(join(tmpdir(), 'hookbench-import-bench-'));
process.once('exit', () => rmSync(root, { recursive: true, force: true }));

function initDataDir(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [BIN, 'package', 'list', '--data-dir', dir], { stdio: 'ignore' });
}

/** 200,000 deliveries of about 1.6 KB: half as received (provider ids), half from an earlier import (import keys). */
function fillHeld(dir) {
  initDataDir(dir);
  const db = new Database(join(dir, 'hookbench.sqlite'));
  const insert = db.prepare(
    `INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, content_type, provider_delivery_id, event, verdict, status_code, outcome, outcome_reason, import_key)
     VALUES (?, ?, ?, ?, ?, ?, 'application/json', ?, 'push', 'unchecked', 202, 'ignored', 'bench', ?)`,
  );
  const headers = JSON.stringify([['content-type', 'application/json'], ['x-github-event', 'push']]);
  const start = Date.now() - HELD * 1000;
  for (let done = 0; done < HELD; ) {
    db.transaction(() => {
      for (let i = 0; i < 10_000 && done < HELD; i++, done++) {
        const body = Buffer.from(JSON.stringify({ ref: `refs/tags/v1.${done}.0`, pad: randomBytes(600).toString('hex') }));
        const imported = done % 2 === 1;
        insert.run(imported ? 'import:bench' : 'hook_bench', start + done * 1000, imported ? 'import' : 'direct', headers, body, body.length, `held-${done}`, imported ? `${randomBytes(32).toString('base64url')}.1` : null);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // Opened once by Hookbench, so it is known as cleanly closed and later starts skip the full check.
  execFileSync(process.execPath, [BIN, 'package', 'list', '--data-dir', dir], { stdio: 'ignore' });
}

/** Peak resident set size of a running process so far (Linux), in MB. */
function peakMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return 0;
  }
}

async function timedImport(dir, bundle) {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'import', bundle, '--data-dir', dir, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, peakMb(child.pid))), 200);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import exited with ${code}`);
  const result = JSON.parse(out);
  if (result.deliveries !== RECORDS) throw new Error(`imported ${result.deliveries} of ${RECORDS}`);
  const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
  const stored = db.prepare('SELECT count(*) FROM deliveries').pluck().get();
  db.close();
  return { seconds, rate: RECORDS / seconds, peakMb: peak, stored };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const bundle = join(root, 'bundle.ndjson');
await writeBundle(createWriteStream(bundle), makeDeliveries(RECORDS, Date.now()).records);
console.log(`bundle: ${RECORDS} records, ${(statSync(bundle).size / 1e6).toFixed(1)} MB; filling a data dir with ${HELD} deliveries…`);
const empty = join(root, 'empty-template');
initDataDir(empty);
const held = join(root, 'held-template');
fillHeld(held);
console.log(`held: ${(statSync(join(held, 'hookbench.sqlite')).size / 1e6).toFixed(0)} MB`);

const runs = [];
for (let round = 1; round <= ROUNDS; round++) {
  const order = round % 2 === 1 ? ['empty', 'held'] : ['held', 'empty'];
  for (const target of order) {
    const dir = join(root, `${target}-${round}`);
    // Timestamps kept: the start-up check sees a cleanly closed file and does not read it all.
    cpSync(target === 'empty' ? empty : held, dir, { recursive: true, preserveTimestamps: true });
    const r = await timedImport(dir, bundle);
    const expected = (target === 'empty' ? 0 : HELD) + RECORDS;
    if (r.stored !== expected) throw new Error(`${target}: ${r.stored} rows stored, expected ${expected}`);
    runs.push({ round, target, ...r });
    console.log(`round ${round} ${target.padEnd(5)}: ${r.seconds.toFixed(1)} s, ${Math.round(r.rate)} records/s, peak RSS ${Math.round(r.peakMb)} MB, ${r.stored} rows after`);
    rmSync(dir, { recursive: true, force: true });
  }
}
const rate = (target) => median(runs.filter((r) => r.target === target).map((r) => r.rate));
const ratios = [...new Set(runs.map((r) => r.round))].map((round) => {
  const of = (t) => runs.find((r) => r.round === round && r.target === t).rate;
  return of('held') / of('empty');
});
const summary = { emptyRate: rate('empty'), heldRate: rate('held'), ratio: median(ratios), ratios };
console.log(
  `import of ${RECORDS}: into empty ${Math.round(summary.emptyRate)}/s, into ${HELD} held ${Math.round(summary.heldRate)}/s; ratio held/empty ${summary.ratio.toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')}; goal 0.80–1.20)`,
);
const resultsDir = new URL('./results/', import.meta.url).pathname;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ settings: { RECORDS, HELD, ROUNDS }, runs, summary }, null, 2));
