// `node bench/receiver-store.js [--database postgres://…] [--data-dir DIR] [--count N] [--rounds N]`, after
// `npm run build`: the receiver's group commit alone (no HTTP, no signature check), SQLite beside
// PostgreSQL in the same run, with 1, 2 and 3 writer processes on one database. Each writer is
// out/main/store-load.js: it stores signed-size (1 KB) tag pushes through the delivery writer,
// keeping 64 in flight, and counts a delivery once its commit is durable.
// Without --database it starts a throwaway PostgreSQL cluster (Debian's packages, fsync on);
// with one, it creates (and drops) a scratch database per run on that server (needs CREATEDB).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startPostgres } from '../test/helpers/postgres-cluster.ts';
import { scratchPostgres, sqliteDeliveryCount } from './scratch-stores.js';
import { runWriters, STORE_LOAD } from '../test/helpers/store-writers.ts';
import { run } from './procs.js';
import { median, round } from './stats.js';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    'data-dir': { type: 'string' },
    count: { type: 'string', default: '6000' },
    rounds: { type: 'string', default: '3' },
    writers: { type: 'string', default: '1,2,3' },
  },
});
const TOTAL = Number(args.count);
const ROUNDS = Number(args.rounds);
const WRITERS = args.writers.split(',').map(Number);

const cluster = args.database ? null : await startPostgres();
const server = args.database ?? cluster.url;
const scratchRoot = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'hookbench-store-bench-'));
process.once('exit', () => {
  if (!args['data-dir']) rmSync(scratchRoot, { recursive: true, force: true });
});

let runs = 0;
/** A fresh, empty database of each kind: where it is, how to count its rows, how to drop it. */
const stores = {
  sqlite: async () => {
    const dir = join(scratchRoot, `run-${++runs}`);
    // Made (and migrated) by one process first: writers starting together would each try to.
    await run([STORE_LOAD, '--database', dir, '--count', '0']);
    return {
      database: dir,
      stored: async () => sqliteDeliveryCount(dir),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  postgres: async () => {
    const db = await scratchPostgres(server, `hookbench_store_bench_${process.pid}_${++runs}`);
    return { database: db.url, stored: db.stored, drop: db.drop };
  },
};

async function measure(kind, writers) {
  const store = await stores[kind]();
  try {
    const each = Math.ceil(TOTAL / writers);
    const { results, ms } = await runWriters(store.database, writers, (i) => ['--count', String(each), '--prefix', `w${i}`]);
    const acknowledged = results.reduce((n, r) => n + r.acknowledged, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const stored = await store.stored();
    // Every acknowledged delivery is a row, and nothing else is.
    const ledger = stored === acknowledged && failed === 0 ? 'balanced' : `VOID (acknowledged ${acknowledged}, stored ${stored}, failed ${failed})`;
    return { kind, writers, acknowledged, perSecond: (acknowledged / ms) * 1000, ledger };
  } finally {
    await store.drop();
  }
}

const started = Date.now();
const all = [];
console.log(`Receiver store bench: ${TOTAL} deliveries of 1 KB per run, split over the writers; ${ROUNDS} rounds, alternating which store goes first.`);
console.log('store     writers  round  deliv/s  ledger');
for (let r = 1; r <= ROUNDS; r++) {
  for (const writers of WRITERS) {
    for (const kind of r % 2 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite']) {
      const run = { round: r, ...(await measure(kind, writers)) };
      all.push(run);
      console.log(`${kind.padEnd(9)} ${String(writers).padStart(7)}  ${String(r).padStart(5)}  ${String(Math.round(run.perSecond)).padStart(7)}  ${run.ledger}`);
    }
  }
}

const summary = WRITERS.map((writers) => {
  const figure = (kind) => median(all.filter((x) => x.kind === kind && x.writers === writers && x.ledger === 'balanced').map((x) => x.perSecond));
  const sqlite = figure('sqlite');
  const postgres = figure('postgres');
  return { writers, sqlite: round(sqlite, 0), postgres: round(postgres, 0), ratio: sqlite && postgres ? round(postgres / sqlite) : null };
});
console.log('\nmedian deliveries/s   writers  sqlite  postgres  postgres/sqlite');
for (const s of summary) console.log(`${' '.repeat(21)} ${String(s.writers).padStart(7)}  ${String(s.sqlite).padStart(6)}  ${String(s.postgres).padStart(8)}  ${s.ratio}`);
console.log(`PostgreSQL: ${cluster ? 'a throwaway cluster on this machine (fsync on)' : 'the server given'}, synchronous_commit = on; SQLite: WAL, each batch acknowledged after an fdatasync of the WAL.`);
console.log(`wall time ${Math.round((Date.now() - started) / 1000)} s`);

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const at = new Date().toISOString();
const file = `${dir}receiver-store-${at.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at, settings: { total: TOTAL, rounds: ROUNDS, writers: WRITERS, bodyBytes: 1024, inFlight: 64 }, runs: all, summary }, null, 2) + '\n');
console.log(`\nJSON: ${file}`);
cluster?.stop();
