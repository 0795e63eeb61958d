import Database from 'better-sqlite3';
import { join } from 'node:path';

/**
 * Many rows written straight into a data dir's database (its schema made by the engine
 * first), for lists longer than any page: what thousands of real deliveries, sends and
 * releases would have left behind, in a second instead of minutes.
 */
function open(dataDir: string) {
  const db = new Database(join(dataDir, 'hookbench.sqlite'));
  db.pragma('busy_timeout = 10000');
  return db;
}

function inOne(dataDir: string, write: (db: Database.Database) => void): void {
  const db = open(dataDir);
  try {
    db.transaction(() => write(db)).immediate();
  } finally {
    db.close();
  }
}

/** Inbox captures (or package deliveries) of `count` requests; returns their row ids, oldest first. */
export function seedDeliveries(dataDir: string, hookId: string, count: number, row: (i: number) => { event?: string; verdict?: string; packageId?: string } = () => ({})): number[] {
  const ids: number[] = [];
  inOne(dataDir, (db) => {
    const insert = db.prepare(
      `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, event, verdict, status_code, outcome, method, path)
       VALUES (?, ?, ?, 'import', '[]', ?, 2, ?, ?, 200, 'captured', 'POST', '/')`,
    );
    const now = Date.now() - count;
    for (let i = 0; i < count; i++) {
      const r = row(i);
      ids.push(Number(insert.run(hookId, r.packageId ?? null, now + i, Buffer.from('{}'), r.event ?? 'ping', r.verdict ?? 'unchecked').lastInsertRowid));
    }
  });
  return ids;
}

export function seedActivity(dataDir: string, count: number, packageId: string | null = null): number[] {
  const ids: number[] = [];
  inOne(dataDir, (db) => {
    const insert = db.prepare(`INSERT INTO activity (at, package_id, kind, message) VALUES (?, ?, 'delivery_received', ?)`);
    const now = Date.now() - count;
    for (let i = 0; i < count; i++) ids.push(Number(insert.run(now + i, packageId, `entry ${i}`).lastInsertRowid));
  });
  return ids;
}

/** One message per attempt, each tried once and answered 200. */
export function seedAttempts(dataDir: string, endpointId: string, count: number, url = 'http://127.0.0.1:9/hooks'): { messageIds: number[]; attemptIds: number[] } {
  const messageIds: number[] = [];
  const attemptIds: number[] = [];
  inOne(dataDir, (db) => {
    const message = db.prepare(
      `INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, attempt_count, last_status, created_at, updated_at)
       VALUES (?, ?, 'release.published', ?, 'application/json', 'trigger', 'succeeded', 1, 200, ?, ?)`,
    );
    const attempt = db.prepare(
      `INSERT INTO attempts (message_row_id, endpoint_id, attempt_no, trigger, started_at, url, request_headers, status, duration_ms, succeeded)
       VALUES (?, ?, 1, 'scheduled', ?, ?, '[]', 200, 5, 1)`,
    );
    const now = Date.now() - count;
    for (let i = 0; i < count; i++) {
      const rowId = Number(message.run(`msg_seed_${i}`, endpointId, Buffer.from('{}'), now + i, now + i).lastInsertRowid);
      messageIds.push(rowId);
      attemptIds.push(Number(attempt.run(rowId, endpointId, now + i, url).lastInsertRowid));
    }
  });
  return { messageIds, attemptIds };
}

/** Releases v1.0.0, v1.0.1, … published for a package; returns their tags, oldest first. */
export function seedReleases(dataDir: string, packageId: string, count: number): string[] {
  const tags: string[] = [];
  inOne(dataDir, (db) => {
    const insert = db.prepare(
      `INSERT INTO releases (package_id, tag, version, prerelease, status, created_at, updated_at) VALUES (?, ?, ?, 0, 'published', ?, ?)`,
    );
    const now = Date.now() - count;
    for (let i = 0; i < count; i++) {
      const version = `1.${Math.floor(i / 1000)}.${i % 1000}`;
      insert.run(packageId, `v${version}`, version, now + i, now + i);
      tags.push(`v${version}`);
    }
  });
  return tags;
}
