// The tunnel bench's sender, its own process: node bench/tunnel-load.js '<json config>'.
// Config: { url, secret, count, concurrency, major, rate? }. Posts `count` signed 1 KB tag pushes to the smee
// channel URL from `concurrency` senders, each sending its next as soon as smee answered the last; with
// `rate`, one every 1/rate s instead (open loop), each timed from when it was due.
// Prints one JSON line: { ok, failed, statuses, sent: [[delivery id, epoch ms when its POST began], …] }.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { makeDelivery } from './payload.js';

const cfg = JSON.parse(process.argv[2]);
const target = new URL(cfg.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency });
const nowMs = () => performance.timeOrigin + performance.now();
const sent = [];
const statuses = {};
let ok = 0;
let failed = 0;
let next = 0;

function post(d) {
  return new Promise((resolve) => {
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', headers: d.headers, timeout: 15_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(d.body);
  });
}

async function sender() {
  while (next < cfg.count) {
    const d = makeDelivery(cfg.secret, `v${cfg.major}.${next++}.0`);
    sent.push([d.id, nowMs()]);
    const status = await post(d);
    statuses[status] = (statuses[status] ?? 0) + 1;
    status === 200 ? ok++ : failed++;
  }
}

async function steady() {
  const t0 = nowMs() + 20;
  const posts = [];
  for (let i = 0; i < cfg.count; i++) {
    const due = t0 + (i * 1000) / cfg.rate;
    const wait = due - nowMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const d = makeDelivery(cfg.secret, `v${cfg.major}.${i}.0`);
    sent.push([d.id, due]);
    posts.push(
      post(d).then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        status === 200 ? ok++ : failed++;
      }),
    );
  }
  await Promise.all(posts);
}

if (cfg.rate) await steady();
else await Promise.all(Array.from({ length: cfg.concurrency }, sender));
agent.destroy();
process.stdout.write(JSON.stringify({ ok, failed, statuses, sent }) + '\n', () => process.exit(0));
