// The second ceiling: the bare server plus durable storage and nothing else. Reads the body,
// verifies the HMAC, stores the raw request in SQLite (WAL, synchronous=FULL, group commit:
// ≤ 2 ms or ≤ 64 rows per transaction) and answers 200 once the commit holding it returned.
// Usage: node bench/bare-durable-server.js <secret> <data dir>. Prints {"receiver": url} once
// listening; on SIGTERM prints its counts and exits. The table is named and shaped so the
// bench's ledger reads it as it reads Hookbench's.
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { signatureMatches } from './hmac-check.js';

const [secret, dataDir] = process.argv.slice(2);
if (!secret || !dataDir) throw new Error('usage: bare-durable-server.js <secret> <data dir>');
const db = new Database(join(dataDir, 'hookbench.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, provider_delivery_id TEXT, outcome TEXT, headers TEXT, body BLOB)');
const insert = db.prepare("INSERT INTO deliveries (provider_delivery_id, outcome, headers, body) VALUES (?, 'stored', ?, ?)");
const commit = db.transaction((rows) => {
  for (const r of rows) insert.run(r.id, r.headers, r.body);
});
const counts = { ok: 0, refused: 0 };

let queue = [];
let timer = null;
function flush() {
  timer = null;
  const batch = queue;
  queue = [];
  commit(batch);
  for (const r of batch) {
    counts.ok++;
    r.res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    r.res.end('{"ok":true}');
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!signatureMatches(secret, body, req.headers['x-hub-signature-256'])) {
      counts.refused++;
      res.writeHead(403, { 'content-type': 'application/json', 'content-length': 12 });
      return res.end('{"ok":false}');
    }
    queue.push({ id: String(req.headers['x-github-delivery'] ?? ''), headers: JSON.stringify(req.rawHeaders), body, res });
    if (queue.length >= 64) {
      clearTimeout(timer);
      flush();
    } else timer ??= setTimeout(flush, 2);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ receiver: `http://127.0.0.1:${server.address().port}`, pid: process.pid }) + '\n');
});

process.on('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.stdout.write(JSON.stringify({ counts }) + '\n');
    process.exit(0);
  });
  server.closeAllConnections();
});
