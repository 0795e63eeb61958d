// The dispatch baseline: N POSTs of the same body with fetch, `concurrency` at a time, nothing stored.
// node bench/fetch-loop.js '{"url","count","concurrency","bodyBytes"}' → one JSON line.
import { percentile, round } from './stats.js';

const cfg = JSON.parse(process.argv[2]);
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
      const res = await fetch(cfg.url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, redirect: 'manual' });
      await res.arrayBuffer();
      if (res.ok) ok++;
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
process.stdout.write(
  JSON.stringify({ sent: cfg.count, succeeded: ok, failed, elapsedMs: round(elapsedMs), perSecond: Math.round((cfg.count / elapsedMs) * 1000), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) }) + '\n',
);
