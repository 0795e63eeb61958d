// Fills a data dir with N deliveries (about 1.6 KB of body each, as a real tag push), one a second up to
// `endAt` (default now), for the storage and prune benches.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function fillDataDir(dir, count, endAt = Date.now()) {
  execFileSync(process.execPath, [new URL('../bin/hookbench.js', import.meta.url).pathname, 'package', 'list', '--data-dir', dir], { stdio: 'ignore' });
  const db = new Database(join(dir, 'hookbench.sqlite'));
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `INSERT INTO deliveries (hook_id, package_id, received_at, source, remote_address, headers, body, body_size, content_type,
       provider_delivery_id, event, verdict, status_code, outcome, outcome_reason)
     VALUES ('hook_bench', NULL, ?, 'direct', '127.0.0.1', ?, ?, ?, 'application/json', ?, 'push', 'valid', 202, ?, 'bench')`,
  );
  const headers = JSON.stringify([['content-type', 'application/json'], ['x-github-event', 'push']]);
  const outcomes = ['ingested', 'ignored', 'duplicate', 'rejected'];
  const start = endAt - count * 1000;
  for (let done = 0; done < count; ) {
    db.transaction(() => {
      for (let i = 0; i < 10_000 && done < count; i++, done++) {
        const body = Buffer.from(JSON.stringify({ ref: `refs/tags/v1.${done}.0`, pad: randomBytes(600).toString('hex') }));
        insert.run(start + done * 1000, headers, body, body.length, `bench-${done}`, outcomes[done % 4]);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
