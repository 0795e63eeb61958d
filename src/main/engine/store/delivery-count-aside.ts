import { and, count } from 'drizzle-orm';
import type { Db } from '../db/open';
import { deliveries } from '../db/schema';
import { runSqliteJob } from '../storage/sqlite-worker';
import { countDeliveries, deliveryConditions, type DeliveryFilter } from './deliveries';

/** Counts that read an index range or a kept total: answered at once, in line. */
export const countsInLine = (filter: DeliveryFilter) => deliveryConditions({ since: filter.since, until: filter.until }).length === deliveryConditions(filter).length;

// At the lowest priority (on Linux a thread's own nice value): a count of every row may take
// seconds and must not take the cores from the pages and paints the user is waiting for.
const COUNT_JOB = `
try { process.getBuiltinModule('node:os').setPriority(0, 19); } catch {}
const db = new Database(workerData.file, { readonly: true });
try {
  db.pragma('busy_timeout = 10000');
  return db.prepare(workerData.sql).pluck().get(...workerData.params);
} finally {
  db.close();
}`;

/**
 * The exact count of a filtered view, taken on its own connection in a worker when it has to
 * read rows (an event or text filter, an outcome: up to every stored row). The engine answers
 * requests one at a time, so a count of a million rows in line held back every page asked
 * for meanwhile, the next view's included.
 */
export async function countDeliveriesAside(db: Db, filter: DeliveryFilter): Promise<number> {
  if (countsInLine(filter)) return countDeliveries(db, filter);
  const query = db.select({ n: count() }).from(deliveries).where(and(...deliveryConditions(filter))).toSQL();
  const n = await runSqliteJob<number | null>(COUNT_JOB, { file: db.$client.name, sql: query.sql, params: query.params });
  return n ?? 0;
}
