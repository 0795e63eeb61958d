// `npm run bench` (third part), or alone: `node bench/tunnel.js` after a build.
// Hookbench's smee tunnel against smee-client, through the same smee-protocol server the tests use:
// 2,000 signed 1 KB tag pushes posted to the channel by 16 senders; Hookbench (`serve`, tunnel
// connected, each event verified and stored durably) and smee-client (its CLI, forwarding to a bare
// HMAC-checking target) take turns, rounds alternating which goes first, each after a 200-delivery
// warm-up. Latency runs from when a POST to smee began to when the delivery was stored (Hookbench:
// its push event, sent once the row is on disk) or verified (the target).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { countDeliveries } from './ledger-db.js';
import { onExit, run, startServer } from './procs.js';
import { REPO, REPO_ID } from './payload.js';
import { median, percentile, round } from './stats.js';

const ROUNDS = Number(process.env.TUNNEL_BENCH_ROUNDS ?? 4);
const COUNT = 2000;
const WARMUP = 200;
const CONCURRENCY = 16;
/** The steady phase: the rate the issue measured smee-client's p99 at, for 5 s. */
const STEADY_RATE = 164;
const STEADY_COUNT = 820;
/** A delivery not stored this long after the last one arrived counts as lost. */
const SETTLE_MS = 5_000;
const TARGETS = { ratio: 1.0, p99Factor: 2 };

const CLI = fileURLToPath(new URL('../bin/hookbench.js', import.meta.url));
const SMEE = fileURLToPath(new URL('./smee-server.js', import.meta.url));
const TARGET = fileURLToPath(new URL('./tunnel-target.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./tunnel-load.js', import.meta.url));
const SMEE_CLIENT = fileURLToPath(new URL('../node_modules/smee-client/bin/smee.js', import.meta.url));
const nowMs = () => performance.timeOrigin + performance.now();
const getJson = (url) => fetch(url).then((r) => r.json());

async function load(url, secret, count, major, rate = undefined) {
  const out = await run([LOAD, JSON.stringify({ url, secret, count, concurrency: CONCURRENCY, major, rate })]);
  return JSON.parse(out.trim().split('\n').at(-1));
}

async function until(probe, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

/** Waits until `expected` deliveries arrived in all, or nothing new arrived for SETTLE_MS (the rest are lost). */
async function settle(expected, arrivedCount) {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const n = await arrivedCount();
    if (n >= expected) return;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > SETTLE_MS) return;
    await delay(100);
  }
}

/** Hookbench's push events, read from its control API: when each delivery was stored, and its verdict. */
function watchEvents(uiUrl) {
  const url = new URL(uiUrl);
  const stored = new Map();
  const req = http.get({ host: url.hostname, port: url.port, path: `/api/events?token=${url.searchParams.get('token')}`, headers: { accept: 'text/event-stream' } }, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      const at = nowMs();
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.startsWith('data: ')) continue;
        const event = JSON.parse(frame.slice(6));
        if (event.type === 'delivery' && event.delivery.source === 'tunnel') stored.set(event.delivery.providerDeliveryId, { at, verdict: event.delivery.verdict });
      }
    });
  });
  req.on('error', () => undefined);
  return { stored, close: () => req.destroy() };
}

const channelId = (channelUrl) => new URL(channelUrl).pathname.slice(1);
const streamOpen = (smee, channelUrl) => getJson(`${smee.control}/streams?channel=${channelId(channelUrl)}`).then((r) => r.open > 0);

/** One measured burst, after a warm-up; `arrived()` counts deliveries arrived so far, warm-up included. */
async function burst(url, secret, arrived) {
  const warm = await load(url, secret, WARMUP, 1);
  await settle(warm.ok, arrived);
  const main = await load(url, secret, COUNT, 2);
  await settle(warm.ok + main.ok, arrived);
  const steady = await load(url, secret, STEADY_COUNT, 3, STEADY_RATE);
  await settle(warm.ok + main.ok + steady.ok, arrived);
  return { main, steady, ids: main.sent.map(([id]) => id), steadyIds: steady.sent.map(([id]) => id) };
}

/** p99 of the steady phase, from when each POST was due. */
function steadyP99(steady, arrivedAt) {
  const latencies = steady.sent.map(([id, due]) => arrivedAt(id) - due).filter((x) => Number.isFinite(x));
  return { steadyP50: round(percentile(latencies, 50), 1), steadyP99: round(percentile(latencies, 99), 1), steadyLost: steady.ok - latencies.length };
}

function figures(target, roundNo, main, arrivedAt, verified, extra = {}) {
  const latencies = [];
  let first = Infinity;
  let last = -Infinity;
  for (const [id, sentAt] of main.sent) {
    first = Math.min(first, sentAt);
    const at = arrivedAt(id);
    if (at === undefined) continue;
    latencies.push(at - sentAt);
    last = Math.max(last, at);
  }
  const delivered = latencies.length;
  const lastPost = Math.max(...main.sent.map(([, at]) => at));
  return {
    target,
    round: roundNo,
    posted: main.sent.length,
    relayed: main.ok,
    delivered,
    verified,
    lost: main.ok - delivered,
    perSecond: round(delivered / ((last - first) / 1000), 0),
    /** How fast smee took the POSTs: the pace both clients are offered. */
    postedPerSecond: round(main.sent.length / ((lastPost - first) / 1000), 0),
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    ...extra,
  };
}

async function hookbench(smee, roundNo) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-tunnel-bench-'));
  const removeDir = onExit(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const cli = async (args) => JSON.parse(await run([CLI, ...args, '--data-dir', dataDir, '--json']));
    const pkg = await cli(['package', 'add', '--provider', 'github', '--repo', REPO, '--repo-id', String(REPO_ID)]);
    const tunnel = await cli(['tunnel', 'create', '--server', smee.url]);
    const hookId = new URL(pkg.hookUrl).pathname.split('/').pop();
    const url = `${tunnel.hookUrlBase}/hooks/${hookId}`;
    const server = await startServer([CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0', '--json', '--no-ui']);
    const events = watchEvents(server.info.ui);
    try {
      await until(() => streamOpen(smee, tunnel.channelUrl), 'the tunnel to connect');
      const { main, steady, ids } = await burst(url, pkg.secret, async () => events.stored.size);
      const verified = ids.filter((id) => events.stored.get(id)?.verdict === 'valid').length;
      events.close();
      await server.stop();
      const ledger = countDeliveries(dataDir, ids.filter((id) => events.stored.has(id)));
      const at = (id) => events.stored.get(id)?.at;
      return figures('hookbench', roundNo, main, at, verified, { storedOnce: ledger.ackedFound, ...steadyP99(steady, at) });
    } finally {
      events.close();
      await server.stop();
    }
  } finally {
    removeDir();
  }
}

async function smeeClient(smee, roundNo) {
  const secret = randomBytes(32).toString('hex');
  const target = await startServer([TARGET, secret]);
  const channelUrl = `${smee.url}/${randomBytes(12).toString('base64url')}`;
  const { spawn } = await import('node:child_process');
  const client = spawn(process.execPath, [SMEE_CLIENT, '--url', channelUrl, '--target', `${target.info.url}/hook`], { stdio: ['ignore', 'ignore', 'ignore'] });
  const stopClient = onExit(() => client.kill('SIGKILL'));
  try {
    await until(() => streamOpen(smee, channelUrl), 'smee-client to connect');
    const { main, steady, ids } = await burst(`${channelUrl}?path=/hooks/bench`, secret, () => getJson(`${target.info.url}/count`).then((r) => r.verified));
    const { times } = await getJson(`${target.info.url}/results`);
    return figures('smee-client', roundNo, main, (id) => times[id], ids.filter((id) => id in times).length, steadyP99(steady, (id) => times[id]));
  } finally {
    client.kill('SIGTERM');
    stopClient();
    await target.stop();
  }
}

process.once('SIGINT', () => process.exit(130));
const started = Date.now();
const smee = (await startServer([SMEE])).info;
const runs = [];
for (let r = 1; r <= ROUNDS; r++) {
  const order = r % 2 ? [hookbench, smeeClient] : [smeeClient, hookbench];
  for (const fn of order) {
    const result = await fn(smee, r);
    runs.push(result);
    process.stderr.write(`round ${r} ${result.target}: ${result.perSecond}/s, p99 ${result.p99} ms, lost ${result.lost}\n`);
  }
}


const of = (t) => runs.filter((r) => r.target === t);
const ratios = [];
const p99Factors = [];
for (let r = 1; r <= ROUNDS; r++) {
  const h = runs.find((x) => x.round === r && x.target === 'hookbench');
  const c = runs.find((x) => x.round === r && x.target === 'smee-client');
  ratios.push(h.perSecond / c.perSecond);
  p99Factors.push(h.p99 / c.p99);
}
const side = (t) => ({
  perSecond: round(median(of(t).map((r) => r.perSecond)), 0),
  p50: round(median(of(t).map((r) => r.p50)), 1),
  p99: round(median(of(t).map((r) => r.p99)), 1),
  lost: of(t).reduce((n, r) => n + r.lost, 0),
  steadyP99: round(median(of(t).map((r) => r.steadyP99)), 1),
});
const summary = { hookbench: side('hookbench'), smeeClient: side('smee-client'), ratio: median(ratios), p99Factor: median(p99Factors) };
const allVerified = of('hookbench').every((r) => r.verified === r.delivered && r.storedOnce === r.delivered) && of('smee-client').every((r) => r.verified === r.delivered);
summary.targets = {
  ratio: { target: `>= ${TARGETS.ratio}`, value: summary.ratio, met: summary.ratio >= TARGETS.ratio },
  p99: { target: `<= ${TARGETS.p99Factor}x smee-client's`, value: summary.p99Factor, met: summary.p99Factor <= TARGETS.p99Factor },
  verified: { target: 'every delivery verified (and stored once)', value: allVerified, met: allVerified },
};

const out = (s = '') => process.stdout.write(s + '\n');
out(`Tunnel bench — ${COUNT} signed 1 KB tag pushes posted to a local smee-protocol server by ${CONCURRENCY} senders (after ${WARMUP} warm-up), then ${STEADY_COUNT} at a steady ${STEADY_RATE}/s; ${ROUNDS} rounds alternating.`);
out(`target        round  posted/s  deliv/s  p50 ms   p99 ms  posted  relayed  delivered  verified  lost  @${STEADY_RATE}/s p50  p99`);
for (const r of runs) {
  out(
    `${r.target.padEnd(12)}  ${String(r.round).padEnd(5)}  ${String(r.postedPerSecond).padStart(8)}  ${String(r.perSecond).padStart(7)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(7)}  ${String(r.posted).padStart(6)}  ${String(r.relayed).padStart(7)}  ${String(r.delivered).padStart(9)}  ${String(r.verified).padStart(8)}  ${String(r.lost).padStart(4)}  ${String(r.steadyP50).padStart(12)}  ${String(r.steadyP99).padStart(5)}`,
  );
}
out();
const { hookbench: h, smeeClient: c } = summary;
out(`median  hookbench ${h.perSecond}/s (p50 ${h.p50} / p99 ${h.p99} ms), smee-client ${c.perSecond}/s (p50 ${c.p50} / p99 ${c.p99} ms)`);
out(`steady ${STEADY_RATE}/s for ${STEADY_COUNT / STEADY_RATE} s (latency from when each POST was due): p99 hookbench ${h.steadyP99} ms, smee-client ${c.steadyP99} ms`);
out(`median ratio hookbench/smee-client delivered/s: ${summary.ratio.toFixed(2)}; median p99 hookbench/smee-client: ${summary.p99Factor.toFixed(2)}`);
for (const [name, t] of Object.entries(summary.targets)) out(`target ${name} ${t.target}: ${typeof t.value === 'number' ? t.value.toFixed(2) : t.value} → ${t.met ? 'met' : 'NOT met'}`);
out('latency = from when the POST to smee began to when the delivery was stored (Hookbench: its push event, sent once the row is on disk) or verified by the target smee-client forwards to (which stores nothing).');
out(`wall time ${Math.round((Date.now() - started) / 1000)} s`);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = join(dir, `tunnel-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ benchmark: 'tunnel', count: COUNT, warmup: WARMUP, concurrency: CONCURRENCY, node: process.version, runs, summary }, null, 2) + '\n');
out(`JSON: ${file}`);
process.exit(0);
