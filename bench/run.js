// `npm run bench`: Hookbench's receiver against a bare node:http + HMAC server, and against the same
// server with durable SQLite storage, rotating the order, 3 rounds.
// Rules: /work/shared/BENCHMARKS.md (separate generator process, full ledger, latency from schedule).
import { fileURLToPath } from 'node:url';
import { cpuMs } from './cpu.js';
import { durabilityMode } from './durability.js';
import { printReport, writeJson } from './report.js';
import { run } from './procs.js';
import { median } from './stats.js';
import { startBare, startBareDurable, startHookbench, startHookbenchInbox } from './targets.js';

// BENCH_ROUNDS=N for a shorter (or longer) run.
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;
const CONCURRENCY = 32;
// Long enough for the JIT to settle: both servers are measured as they run for hours, not as they start.
const WARMUP_S = 2;
const CLOSED_S = 3;
const OPEN_S = 3;
const OPEN_RATE = 1000;
const TARGETS = { ratio: 0.5, p99AtRateMs: 20 };

const LOADGEN = fileURLToPath(new URL('./loadgen.js', import.meta.url));

async function load(target, config) {
  const out = await run([LOADGEN, JSON.stringify({ url: target.url, secret: target.secret, scheme: target.scheme ?? 'github', concurrency: CONCURRENCY, ...config })]);
  return JSON.parse(out.trim().split('\n').at(-1)).phases;
}

/**
 * One server, one phase: a short warm-up at the phase's own shape (counted in the ledger, not in the
 * figures) on the same generator process and connections as the measured phase that follows, then
 * stop the server and balance the ledger against what it stored.
 * Each phase gets a fresh server (and for Hookbench a fresh data dir), so the fixed-rate phase does
 * not inherit the ingest backlog the closed-loop phase leaves behind.
 */
async function phase(start, shape) {
  const target = await start();
  const cpuBefore = cpuMs(target.pid);
  const [warmup, main] = await load(target, { ...shape, phases: [{ seconds: WARMUP_S, major: 1 }, { seconds: shape.seconds, major: 2 }] });
  const cpuAfter = cpuMs(target.pid);
  const pendingAtStop = target.pending();
  const ackedIds = [warmup, main].flatMap((p) => p.acked);
  const count = await target.stopAndCount(ackedIds);
  const sum = (k) => warmup.ledger[k] + main.ledger[k];
  const ledger = { sent: sum('sent'), acknowledged: sum('acknowledged'), rejected: sum('rejected'), errored: sum('errored'), ...count, pendingAtStop };
  // The server's CPU (every thread) per acknowledged delivery, warm-up included: a cost that does not depend on how fast the generator is.
  main.cpuUsPerDelivery = cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1000) / ledger.acknowledged);
  const problems = [];
  if (ledger.sent !== ledger.acknowledged + ledger.rejected + ledger.errored) problems.push('sent ≠ acknowledged + rejected + errored');
  // Targets that store (Hookbench, bare+sqlite) are checked against their table; the bare server counts its own 200s.
  if (target.name !== 'bare') {
    if (ledger.stored !== ledger.acknowledged) problems.push(`table holds ${ledger.stored} rows for ${ledger.acknowledged} acknowledged`);
    if (ledger.ackedFound !== ledger.acknowledged) problems.push(`${ledger.acknowledged - ledger.ackedFound} acknowledged ids not stored exactly once`);
  } else if (ledger.serverOk !== ledger.acknowledged) {
    problems.push(`server answered ${ledger.serverOk} 200s for ${ledger.acknowledged} acknowledged`);
  }
  delete warmup.acked;
  delete main.acked;
  return { name: target.name, warmup, main, ledger, problems };
}

async function measure(start, round) {
  const closed = await phase(start, { mode: 'closed', seconds: CLOSED_S });
  const open = await phase(start, { mode: 'open', seconds: OPEN_S, rate: OPEN_RATE });
  const problems = [...closed.problems.map((p) => `closed: ${p}`), ...open.problems.map((p) => `open: ${p}`)];
  const total = (k) => closed.ledger[k] + open.ledger[k];
  return {
    target: closed.name,
    round,
    closed: closed.main,
    open: open.main,
    warmups: { closed: closed.warmup, open: open.warmup },
    ledgers: { closed: closed.ledger, open: open.ledger },
    ledger: {
      sent: total('sent'),
      acknowledged: total('acknowledged'),
      rejected: total('rejected'),
      errored: total('errored'),
      stored: closed.name !== 'bare' ? total('stored') : total('serverOk'),
      pendingAtStop: total('pendingAtStop'),
    },
    void: problems.length > 0,
    problems,
  };
}

// `--database postgres://…`: the receiver on PostgreSQL, measured beside SQLite's in the same run
// (bench/team-serve.js: signed deliveries round robin through 1, 2 and 3 `serve --database` instances).
if (process.argv.includes('--database')) {
  await import('./team-serve.js');
  process.exit(0);
}

process.once('SIGINT', () => process.exit(130)); // children get the SIGINT too; temp dirs are removed on exit
const started = Date.now();
const durability = durabilityMode();
const runs = [];
for (let round = 1; round <= ROUNDS; round++) {
  const orders = [
    [startHookbench, startBare, startHookbenchInbox, startBareDurable],
    [startBare, startHookbenchInbox, startBareDurable, startHookbench],
    [startHookbenchInbox, startBareDurable, startHookbench, startBare],
    [startBareDurable, startHookbench, startBare, startHookbenchInbox],
  ];
  const order = orders[(round - 1) % orders.length];
  for (const start of order) {
    const r = await measure(start, round);
    runs.push(r);
    process.stderr.write(`round ${round} ${r.target}: ${r.closed.throughput}/s${r.void ? ' VOID' : ''}\n`);
  }
}

const valid = (name) => runs.filter((r) => r.target === name && !r.void);
/** One target's throughput (Hookbench's package receiver unless told) over another's, round by round (balanced rounds only). */
function ratiosTo(name, of = 'hookbench') {
  const out = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const h = runs.find((r) => r.round === round && r.target === of);
    const b = runs.find((r) => r.round === round && r.target === name);
    if (h && b && !h.void && !b.void) out.push(h.closed.throughput / b.closed.throughput);
  }
  return out;
}
const ratios = ratiosTo('bare');
const durableRatios = ratiosTo('bare+sqlite');
const inboxRatios = ratiosTo('bare', 'hookbench-inbox');
const side = (name) => ({
  throughput: median(valid(name).map((r) => r.closed.throughput)),
  closedP50: median(valid(name).map((r) => r.closed.p50)),
  closedP99: median(valid(name).map((r) => r.closed.p99)),
  cpuUsPerDelivery: median(valid(name).map((r) => r.closed.cpuUsPerDelivery)),
  openP50: median(valid(name).map((r) => r.open.p50)),
  openP99: median(valid(name).map((r) => r.open.p99)),
  validRounds: valid(name).length,
});
const summary = {
  hookbench: side('hookbench'),
  bare: side('bare'),
  bareDurable: side('bare+sqlite'),
  /** An inbox of dialect standard-webhooks: any-method capture, Standard Webhooks verify, durable store. */
  inbox: side('hookbench-inbox'),
  ratio: median(ratios),
  inboxRatio: median(inboxRatios),
  ratioRounds: ratios.length,
  /** Against the same bare server with durable storage: how much is Hookbench's own, not the disk's. */
  ratioToDurable: median(durableRatios),
};
summary.targets = {
  ratio: { target: `>= ${TARGETS.ratio}`, value: summary.ratio, met: summary.ratio !== null && summary.ratio >= TARGETS.ratio },
  p99AtRate: {
    target: `<= ${TARGETS.p99AtRateMs} ms at ${OPEN_RATE}/s`,
    value: summary.hookbench.openP99,
    met: summary.hookbench.openP99 !== null && summary.hookbench.openP99 <= TARGETS.p99AtRateMs,
  },
};

const result = {
  benchmark: 'receiver',
  at: new Date().toISOString(),
  node: process.version,
  settings: { rounds: ROUNDS, concurrency: CONCURRENCY, warmupS: WARMUP_S, closedS: CLOSED_S, openS: OPEN_S, openRate: OPEN_RATE, bodyBytes: 1024 },
  durability,
  runs,
  summary,
  wallMs: Date.now() - started,
};
printReport(result);
const file = writeJson(result);
process.stdout.write(`\nJSON: ${file}\n`);
