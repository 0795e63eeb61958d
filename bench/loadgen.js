// The load generator, run as its own process: node bench/loadgen.js '<json config>'.
// Config: { url, secret, scheme?: 'github'|'standard-webhooks', mode: 'closed'|'open', concurrency, rate?, phases: [{ seconds, major }, …] }
// (or one phase as { seconds, major }). Phases run one after the other on the same connections,
// so a warm-up phase warms this process and its sockets as well as the server.
// Prints one JSON line, { phases: [...] }: per phase the ledger (sent = acknowledged + rejected +
// errored), the acknowledged delivery ids, throughput and latency percentiles.
// Latency is taken from the scheduled time: in closed loop a request is scheduled when its
// worker is free; in open loop at t0 + i/rate, whether or not the generator kept up.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { makeDelivery } from './payload.js';
import { percentile, round } from './stats.js';

const cfg = JSON.parse(process.argv[2]);
const target = new URL(cfg.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency });
const TIMEOUT_MS = 15_000;

let ledger, statuses, acked, latencies, sendLag, seq;
/** A phase's own counts: nothing carries over from the one before. */
function resetStats(major) {
  ledger = { sent: 0, acknowledged: 0, rejected: 0, errored: 0 };
  statuses = {};
  acked = []; // delivery ids answered 2xx
  latencies = [];
  sendLag = []; // how late the generator put a request on the wire, open loop only
  seq = 0;
  cfg.major = major;
}

/** Sends one delivery; resolves once it is counted exactly once. */
function fire(scheduledAt) {
  const d = makeDelivery(cfg.secret, `v${cfg.major}.${seq++}.0`, cfg.scheme);
  ledger.sent++;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (kind, status) => {
      if (settled) return;
      settled = true;
      latencies.push(performance.now() - scheduledAt);
      if (kind === 'ack') {
        ledger.acknowledged++;
        acked.push(d.id);
      } else ledger[kind]++;
      if (status) statuses[status] = (statuses[status] ?? 0) + 1;
      resolve();
    };
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: d.headers, timeout: TIMEOUT_MS },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => settle(res.statusCode >= 200 && res.statusCode < 300 ? 'ack' : 'rejected', res.statusCode));
        res.on('error', () => settle('errored'));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => settle('errored'));
    req.end(d.body);
  });
}

async function closedLoop() {
  const start = performance.now();
  const deadline = start + cfg.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) await fire(performance.now());
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  return performance.now() - start;
}

async function openLoop() {
  const total = Math.round(cfg.rate * cfg.seconds);
  const interval = 1000 / cfg.rate;
  const t0 = performance.now() + 20;
  const inFlight = [];
  await new Promise((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now) {
        const scheduled = t0 + next * interval;
        sendLag.push(now - scheduled);
        inFlight.push(fire(scheduled));
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
      else resolve();
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  await Promise.all(inFlight);
  return performance.now() - t0;
}

const phases = [];
for (const { seconds, major } of cfg.phases ?? [{ seconds: cfg.seconds, major: cfg.major }]) {
  resetStats(major);
  cfg.seconds = seconds;
  const elapsedMs = cfg.mode === 'open' ? await openLoop() : await closedLoop();
  phases.push({
    mode: cfg.mode,
    seconds,
    concurrency: cfg.concurrency,
    rate: cfg.rate ?? null,
    ledger,
    statuses,
    elapsedMs: round(elapsedMs, 1),
    throughput: round((ledger.acknowledged / elapsedMs) * 1000, 0),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(percentile(latencies, 100)),
    maxSendLagMs: sendLag.length ? round(percentile(sendLag, 100)) : null,
    acked,
  });
}
agent.destroy();
process.stdout.write(JSON.stringify({ phases }) + '\n', () => process.exit(0));
