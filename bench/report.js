// The printed table and the JSON file of a receiver bench run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const f = (x, d = 1) => (x === null || x === undefined ? '-' : typeof x === 'number' ? x.toFixed(d) : String(x));
const pad = (cells, widths) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

export function printReport({ runs, summary, durability, settings, wallMs }) {
  const out = (s = '') => process.stdout.write(s + '\n');
  const head = ['target', 'round', 'deliv/s', 'p50 ms', 'p99 ms', 'cpu µs', `@${settings.openRate}/s p50`, 'p99', 'backlog', 'sent', 'ack', 'rej', 'err', 'stored', 'ledger'];
  const rows = runs.map((r) => [
    r.target,
    String(r.round),
    f(r.closed.throughput, 0),
    f(r.closed.p50, 2),
    f(r.closed.p99, 2),
    f(r.closed.cpuUsPerDelivery, 0),
    f(r.open.p50, 2),
    f(r.open.p99, 2),
    r.target.startsWith('hookbench') ? String(r.ledger.pendingAtStop) : '-',
    String(r.ledger.sent),
    String(r.ledger.acknowledged),
    String(r.ledger.rejected),
    String(r.ledger.errored),
    String(r.ledger.stored),
    r.void ? 'VOID: ' + r.problems.join('; ') : 'balanced',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (i === head.length - 1 ? 0 : row[i].length))));
  out(`Receiver bench — closed loop c=${settings.concurrency} for ${settings.closedS} s, and open loop ${settings.openRate}/s for ${settings.openS} s, each after a ${settings.warmupS} s warm-up on its own fresh server; ${settings.bodyBytes} B signed tag pushes; ${settings.rounds} rounds, rotating which goes first.`);
  out(pad(head, widths));
  for (const row of rows) out(pad(row, widths));
  out();
  const { hookbench: h, bare: b } = summary;
  out(`median  hookbench ${f(h.throughput, 0)}/s (p50 ${f(h.closedP50, 2)} / p99 ${f(h.closedP99, 2)} ms), bare ${f(b.throughput, 0)}/s (p50 ${f(b.closedP50, 2)} / p99 ${f(b.closedP99, 2)} ms)`);
  out(`median ratio hookbench/bare throughput: ${f(summary.ratio, 2)} over ${summary.ratioRounds} balanced round(s)`);
  if (summary.inbox) {
    const i = summary.inbox;
    out(`median inbox (Standard Webhooks verify) ${f(i.throughput, 0)}/s (p50 ${f(i.closedP50, 2)} / p99 ${f(i.closedP99, 2)} ms, cpu ${f(i.cpuUsPerDelivery, 0)} µs); ratio inbox/bare ${f(summary.inboxRatio, 2)} beside package receiver/bare ${f(summary.ratio, 2)}; p99 at ${settings.openRate}/s ${f(i.openP99, 2)} ms`);
  }
  if (h.cpuUsPerDelivery !== null && b.cpuUsPerDelivery !== null) {
    out(`server CPU per delivery (every thread, closed loop): hookbench ${f(h.cpuUsPerDelivery, 0)} µs, bare ${f(b.cpuUsPerDelivery, 0)} µs${summary.bareDurable?.cpuUsPerDelivery ? `, bare+sqlite ${f(summary.bareDurable.cpuUsPerDelivery, 0)} µs` : ''}`);
  }
  if (summary.bareDurable) {
    out(`bare+sqlite (the bare server storing each request durably: WAL, synchronous=FULL, group commit ≤2 ms/64 rows): ${f(summary.bareDurable.throughput, 0)}/s, ${f(summary.bareDurable.throughput / summary.bare.throughput, 2)} of bare`);
    out(`median ratio hookbench/bare+sqlite throughput: ${f(summary.ratioToDurable, 2)}`);
  }
  out(`p99 at ${settings.openRate}/s (from scheduled time): hookbench ${f(h.openP99, 2)} ms, bare ${f(b.openP99, 2)} ms`);
  for (const [name, t] of Object.entries(summary.targets)) out(`target ${name} ${t.target}: ${f(t.value, 2)} → ${t.met ? 'met' : 'NOT met'}`);
  const flush = durability.walFlushBeforeAnswer
    ? 'receiver commits skip SQLite\'s own fsync and a 2xx is sent only after an fdatasync of the WAL that began once the commit returned (acknowledged = on disk, as FULL), run off the event loop'
    : 'a 2xx is sent only after its commit returned';
  out(
    `durability: SQLite journal_mode=${durability.journalMode}, synchronous=${durability.synchronous}; ${flush}; group commit ≤${durability.groupCommitMaxRows} rows, ${durability.groupCommitMaxDelayMs === 0 ? 'formed from the requests read in one event-loop turn' : `≤${durability.groupCommitMaxDelayMs} ms`}; WAL checkpoints ${durability.checkpointsInWorker ? 'in a worker thread' : 'on commit'}. Bare server stores nothing.`,
  );
  out('backlog = deliveries still pending ingest when the server was stopped (acknowledged and stored, not yet ingested).');
  out('stored = rows in the deliveries table (hookbench, bare+sqlite) or 200s the bare server counted itself; each phase ran on a fresh server.');
  out(`wall time ${f(wallMs / 1000, 0)} s`);
}

export function writeJson(result) {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}receiver-${result.at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
