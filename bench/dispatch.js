// `npm run bench` (second part): Hookbench's dispatcher against a bare undici Pool loop, same sink, same concurrency.
// Hookbench: `hookbench trigger --count N` queues N signed messages in one transaction and dispatches them
// (each attempt recorded in SQLite, WAL + synchronous=FULL, attempts finishing together share a commit).
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, startServer } from './procs.js';
import { median } from './stats.js';

const ROUNDS = 3;
const COUNT = 2000;
const CONCURRENCY = 32;
const TARGET_RATIO = 0.5;
const CLI = fileURLToPath(new URL('../bin/hookbench.js', import.meta.url));
const LOOP = fileURLToPath(new URL('./pool-loop.js', import.meta.url));
const SINK = fileURLToPath(new URL('./sink-server.js', import.meta.url));
const lastJson = (text) => JSON.parse(text.trim().split('\n').at(-1));

async function hookbench(sinkUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-dispatch-'));
  try {
    const cli = async (args) => JSON.parse(await run([CLI, ...args, '--data-dir', dir, '--json']));
    const ep = await cli(['endpoint', 'add', '--name', 'sink', '--url', sinkUrl, '--dialect', 'standard-webhooks', '--events', 'release.published', '--max-in-flight', String(CONCURRENCY)]);
    return await cli(['trigger', '--endpoint', ep.id, '--event', 'release.published', '--count', String(COUNT)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bare = async (sinkUrl) => lastJson(await run([LOOP, JSON.stringify({ url: sinkUrl, count: COUNT, concurrency: CONCURRENCY, bodyBytes: 700 })]));

// `--database postgres://…`: the dispatcher on PostgreSQL, measured beside SQLite's in the same run
// (bench/dispatch-instances.js: 1, 2 and 3 `hookbench dispatch` processes on each store).
if (process.argv.includes('--database')) {
  await import('./dispatch-instances.js');
  process.exit(0);
}

const sink = await startServer([SINK]);
const runs = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? [['hookbench', hookbench], ['pool', bare]] : [['pool', bare], ['hookbench', hookbench]];
    for (const [target, fn] of order) {
      const r = await fn(sink.info.url);
      runs.push({ target, round, ...r });
      process.stderr.write(`round ${round} ${target}: ${r.perSecond}/s\n`);
    }
  }
} finally {
  await sink.stop();
}

const of = (t) => runs.filter((r) => r.target === t);
const ratios = of('hookbench').map((h) => h.perSecond / of('pool').find((b) => b.round === h.round).perSecond);
const ratio = median(ratios);
const out = (s = '') => process.stdout.write(s + '\n');
out(`Dispatch bench — ${COUNT} messages to a local sink, concurrency ${CONCURRENCY}, ${ROUNDS} rounds alternating.`);
out('target     round  msg/s  p50 ms  p99 ms  2xx    failed');
for (const r of runs) {
  out(`${r.target.padEnd(9)}  ${String(r.round).padEnd(5)}  ${String(r.perSecond).padStart(5)}  ${String(r.p50Ms).padStart(6)}  ${String(r.p99Ms).padStart(6)}  ${String(r.succeeded).padEnd(5)}  ${r.failed}`);
}
out(`median ratio hookbench/pool: ${ratio?.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
out('latency = from when all messages were queued to each 2xx; Hookbench records every attempt (request, response, duration) before the next.');
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = join(dir, `dispatch-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ count: COUNT, concurrency: CONCURRENCY, runs, ratios, ratio }, null, 2));
out(`JSON: ${file}`);
