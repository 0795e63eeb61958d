import { gt, max, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { messages } from '../db/schema';

/** What the queue watcher reads: the newest message row, which endpoints got rows after one, and whether another process wrote. */
export function prepareQueueStatements(db: Db) {
  const newest = db.select({ id: max(messages.id) }).from(messages).prepare();
  const after = db
    .selectDistinct({ endpointId: messages.endpointId })
    .from(messages)
    .where(gt(messages.id, sql.placeholder('after')))
    .prepare();
  // Changes whenever another connection (the CLI beside a running serve) commits.
  const dataVersion = db.$client.prepare<[], number>('PRAGMA data_version').pluck();
  return {
    newestMessageId: () => newest.get()?.id ?? 0,
    endpointsWithMessagesAfter: (id: number) => after.all({ after: id }).map((r) => r.endpointId),
    dataVersion: () => dataVersion.get()!,
  };
}
