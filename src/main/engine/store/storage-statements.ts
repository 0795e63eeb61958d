import type { StorageStatus } from '../../../shared/storage-types';
import { runSqliteJob } from '../storage/sqlite-worker';

/** What the storage status reads from the database; a PostgreSQL store answers the same. */
export type StorageUsage = Pick<StorageStatus, 'counts' | 'bodyBytes' | 'oldest'>;

export interface StorageStatements {
  usage(): Promise<StorageUsage>;
}

/*
 * Summing body lengths and finding the oldest received time read every row (about a second
 * for 200,000 deliveries), so they run on a read-only connection in a worker thread.
 * length() of a blob is read from the record header: large bodies' overflow pages are not.
 */
const USAGE_JOB = `
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  const one = (sql) => db.prepare(sql).pluck().get() ?? 0;
  const grouped = (sql) => Object.fromEntries(db.prepare(sql).raw().all());
  return db.transaction(() => ({
    deliveries: grouped('SELECT outcome, count(*) FROM deliveries GROUP BY outcome'),
    messages: grouped('SELECT state, count(*) FROM messages GROUP BY state'),
    releases: one('SELECT count(*) FROM releases'),
    attempts: one('SELECT count(*) FROM attempts'),
    fixtures: one('SELECT count(*) FROM fixtures'),
    activity: one('SELECT count(*) FROM activity'),
    deliveryBodies: one('SELECT sum(length(body)) FROM deliveries'),
    messageBodies: one('SELECT sum(length(body)) FROM messages'),
    attemptBodies: one('SELECT sum(length(response_body)) FROM attempts'),
    fixtureBodies: one('SELECT sum(length(body)) FROM fixtures'),
    oldestDelivery: db.prepare('SELECT min(received_at) FROM deliveries').pluck().get(),
    oldestActivity: db.prepare('SELECT min(at) FROM activity').pluck().get(),
  }))();
} finally {
  db.close();
}
`;

interface UsageRows {
  deliveries: Record<string, number>;
  messages: Record<string, number>;
  releases: number;
  attempts: number;
  fixtures: number;
  activity: number;
  deliveryBodies: number;
  messageBodies: number;
  attemptBodies: number;
  fixtureBodies: number;
  oldestDelivery: number | null;
  oldestActivity: number | null;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export function sqliteStorageStatements(databaseFile: string): StorageStatements {
  return {
    async usage() {
      const rows = await runSqliteJob<UsageRows>(USAGE_JOB, { file: databaseFile });
      return {
        counts: {
          deliveries: rows.deliveries,
          deliveriesTotal: total(rows.deliveries),
          releases: rows.releases,
          messages: rows.messages,
          messagesTotal: total(rows.messages),
          attempts: rows.attempts,
          fixtures: rows.fixtures,
          activity: rows.activity,
        },
        bodyBytes: { deliveries: rows.deliveryBodies, messages: rows.messageBodies, attempts: rows.attemptBodies, fixtures: rows.fixtureBodies },
        oldest: { delivery: rows.oldestDelivery, activity: rows.oldestActivity },
      };
    },
  };
}
