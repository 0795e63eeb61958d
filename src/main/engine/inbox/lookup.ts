import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { inboxes } from '../db/schema';

export interface ReceiverInbox {
  id: string;
  name: string;
  dialect: string;
  secretSealed: string | null;
  toleranceSeconds: number | null;
}

/**
 * Read on every request (one primary-key lookup), so an inbox added or removed by the CLI
 * takes effect at once in a running serve.
 */
export function inboxLookup(db: Db): (inboxId: string) => ReceiverInbox | undefined {
  const query = db
    .select({ id: inboxes.id, name: inboxes.name, dialect: inboxes.dialect, secretSealed: inboxes.secretSealed, toleranceSeconds: inboxes.toleranceSeconds })
    .from(inboxes)
    .where(eq(inboxes.id, sql.placeholder('id')))
    .prepare();
  return (id) => query.get({ id });
}
