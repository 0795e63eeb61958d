// The deliveries the UI bench stores: realistic sizes, a mix of events, times spread over 30 days;
// as a bundle to import, or written straight into a data dir's SQLite file.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const DAY = 86_400_000;
const EVENTS = [
  ['push', 0.4],
  ['ping', 0.15],
  ['issues', 0.15],
  ['pull_request', 0.2],
  ['release', 0.1],
];

/** A small deterministic generator, so every run stores the same data. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(r) {
  let x = r();
  for (const [name, p] of EVENTS) {
    if ((x -= p) < 0) return name;
  }
  return EVENTS[0][0];
}

/**
 * N deliveries, ids 1..N in order once imported into a fresh data dir, and the newest id that
 * each filter the bench applies should show first. Received times avoid the hour either side
 * of "24 hours ago", so the Last 24 h filter is not decided by the seconds the bench takes.
 */
export function makeDeliveries(n, now) {
  const r = rng(42);
  const newest = { all: n, event: {}, last24h: null };
  const records = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = i + 1;
    // The newest is a push, so every filter changes the first row.
    const event = id === n ? 'push' : pick(r);
    let age = r() * 30 * DAY;
    if (Math.abs(age - DAY) < 3_600_000) age += 2 * 3_600_000;
    // ... and the newest row outside it at any N, so that filter always changes the first row.
    if (id === n && age < DAY) age += DAY + 2 * 3_600_000;
    const receivedAt = Math.round(now - age);
    if (age < DAY) newest.last24h = id;
    newest.event[event] = id;
    records[i] = { event, receivedAt, seq: id };
  }
  if (newest.last24h === n) throw new Error('The newest delivery should fall outside the last 24 h filter.');
  return { records, newest };
}

function line(rec) {
  const body = JSON.stringify({
    ref: rec.event === 'push' ? `refs/heads/main` : undefined,
    action: rec.event === 'issues' || rec.event === 'pull_request' ? 'opened' : undefined,
    seq: rec.seq,
    zen: 'Keep it logically awesome.',
    repository: { id: 4242, full_name: 'octo/widgets', private: false, html_url: 'https://github.com/octo/widgets' },
    sender: { login: 'octocat', id: 583231, type: 'User' },
    commits: [{ id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', message: `Change number ${rec.seq}`, author: { name: 'Octo Cat' } }],
  });
  return JSON.stringify({
    kind: 'delivery',
    receivedAt: rec.receivedAt,
    event: rec.event,
    providerDeliveryId: randomUUID(),
    contentType: 'application/json',
    statusCode: 202,
    headers: [
      ['content-type', 'application/json'],
      ['user-agent', 'GitHub-Hookshot/a1b2c3d'],
      ['x-github-event', rec.event],
      ['x-github-delivery', randomUUID()],
      ['x-hub-signature-256', 'sha256=' + '0'.repeat(64)],
    ],
    bodyBase64: Buffer.from(body).toString('base64'),
  });
}

/** Writes the bundle a line at a time, minding backpressure. */
export async function writeBundle(stream, records) {
  const write = async (text) => {
    if (!stream.write(text + '\n')) await once(stream, 'drain');
  };
  await write(JSON.stringify({ format: 'hookbench-bundle', version: 1 }));
  for (const rec of records) await write(line(rec));
  stream.end();
  await once(stream, 'finish');
}

/**
 * The same deliveries written straight into the SQLite file of a fresh data dir (ids 1..N, as an
 * import would number them): a million take about a minute, where `hookbench import` takes half
 * an hour. Rows are stored as an import stores them (no hook, outcome ignored, unchecked).
 */
export async function writeDatabase(dataDir, records) {
  execFileSync(process.execPath, [new URL('../bin/hookbench.js', import.meta.url).pathname, 'status', '--data-dir', dataDir], { stdio: 'ignore' });
  const db = new Database(join(dataDir, 'hookbench.sqlite'));
  db.pragma('journal_mode = WAL');
  const columns = `(hook_id, received_at, source, headers, body, body_size, content_type, provider_delivery_id, event, verdict, status_code, outcome, outcome_reason)`;
  const values = `('import_ui_bench', ?, 'import', ?, ?, ?, 'application/json', ?, ?, 'unchecked', 202, 'ignored', 'Imported for the UI bench')`;
  const perInsert = 500;
  const many = db.prepare(`INSERT INTO deliveries ${columns} VALUES ${Array(perInsert).fill(values).join(', ')}`);
  const one = db.prepare(`INSERT INTO deliveries ${columns} VALUES ${values}`);
  const paramsOf = (rec) => {
    const parsed = JSON.parse(line(rec));
    const body = Buffer.from(parsed.bodyBase64, 'base64');
    return [rec.receivedAt, JSON.stringify(parsed.headers), body, body.length, parsed.providerDeliveryId, rec.event];
  };
  db.transaction(() => {
    let i = 0;
    for (; i + perInsert <= records.length; i += perInsert) many.run(records.slice(i, i + perInsert).flatMap(paramsOf));
    for (; i < records.length; i++) one.run(paramsOf(records[i]));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
