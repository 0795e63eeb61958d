// The dispatch baseline: N POSTs of the same body through an undici Pool, `concurrency` at a time, nothing stored.
// (fetch would be a weaker ceiling: its own overhead caps it well below what the sink can take.)
// node bench/pool-loop.js '{"url","count","concurrency","bodyBytes"}' → one JSON line.
import { Pool } from 'undici';
import { percentile, round } from './stats.js';

const cfg = JSON.parse(process.argv[2]);
const url = new URL(cfg.url);
const pool = new Pool(url.origin, { connections: cfg.concurrency, pipelining: 1 });
const body = JSON.stringify({ type: 'release.published', data: { pad: 'x'.repeat(Math.max(0, cfg.bodyBytes - 60)) } });
const latencies = [];
let next = 0;
let ok = 0;
let failed = 0;
const started = performance.now();

async function worker() {
  while (next < cfg.count) {
    next++;
    try {
      const res = await pool.request({ path: url.pathname, method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await res.body.arrayBuffer();
      if (res.statusCode >= 200 && res.statusCode < 300) ok++;
      else failed++;
    } catch {
      failed++;
    }
    // All N are "enqueued" at the start, as `trigger --count` queues them: latency is from there.
    latencies.push(performance.now() - started);
  }
}

await Promise.all(Array.from({ length: cfg.concurrency }, worker));
const elapsedMs = performance.now() - started;
await pool.close();
process.stdout.write(
  JSON.stringify({ sent: cfg.count, succeeded: ok, failed, elapsedMs: round(elapsedMs), perSecond: Math.round((cfg.count / elapsedMs) * 1000), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) }) + '\n',
);
