// Read-only look at a Hookbench data dir: what the deliveries table holds.
import { join } from 'node:path';
import Database from 'better-sqlite3';

const open = (dataDir) => new Database(join(dataDir, 'hookbench.sqlite'), { readonly: true, fileMustExist: true });

export function pendingCount(dataDir) {
  const db = open(dataDir);
  try {
    return db.prepare("SELECT count(*) AS n FROM deliveries WHERE outcome = 'pending'").get().n;
  } finally {
    db.close();
  }
}

/** Counts rows, and how many acknowledged provider delivery ids appear exactly once. */
export function countDeliveries(dataDir, ackedIds) {
  const db = open(dataDir);
  try {
    const stored = db.prepare('SELECT count(*) AS n FROM deliveries').get().n;
    const journalMode = db.pragma('journal_mode', { simple: true });
    const rows = db.prepare('SELECT provider_delivery_id AS id, count(*) AS n FROM deliveries GROUP BY provider_delivery_id').all();
    const seen = new Map(rows.map((r) => [r.id, r.n]));
    const ackedFound = ackedIds.filter((id) => seen.get(id) === 1).length;
    return { stored, ackedFound, acked: ackedIds.length, journalMode };
  } finally {
    db.close();
  }
}
