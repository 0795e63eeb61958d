import { count, eq, inArray, max } from 'drizzle-orm';
import type { InboxCreated, InboxSummary } from '../../../shared/types';
import type { Db } from '../db/open';
import { deliveries, inboxes } from '../db/schema';
import { deleteInSlices } from '../db/sliced-writes';
import type { SecretBox } from '../secrets/secret-box';
import { receiverBaseUrl } from '../store/settings';
import { listForwardTargets } from './forward/sqlite-target-ops';
import { inboxChanges, inboxCreated, newInboxRow, noInbox, toInboxSummary, type InboxInput, type InboxPatch, type InboxRow } from './inbox-decisions';

export { inboxUrl, NO_DIALECT, type InboxInput, type InboxRow } from './inbox-decisions';

/** Captures removed per slice when an inbox goes. */
const REMOVE_CHUNK = 500;

/** Creates an inbox; without a secret, one is made in the dialect's own form (whsec_…, base64url, hex). */
export function addInbox(db: Db, box: SecretBox, input: InboxInput): InboxCreated {
  const { row, secret } = newInboxRow(input, box, Date.now());
  db.insert(inboxes).values(row).run();
  return inboxCreated(row.id, receiverBaseUrl(db), secret);
}

export function getInboxRow(db: Db, id: string): InboxRow {
  const row = db.select().from(inboxes).where(eq(inboxes.id, id)).get();
  if (!row) throw noInbox(id);
  return row;
}

function toSummary(db: Db, row: InboxRow, base: string): InboxSummary {
  const stats = db.select({ n: count(), last: max(deliveries.receivedAt) }).from(deliveries).where(eq(deliveries.hookId, row.id)).get();
  return toInboxSummary(row, { captures: stats?.n ?? 0, lastCaptureAt: stats?.last ?? null }, listForwardTargets(db, row.id), base, Date.now());
}

export function listInboxes(db: Db): InboxSummary[] {
  const base = receiverBaseUrl(db);
  return db
    .select()
    .from(inboxes)
    .orderBy(inboxes.createdAt)
    .all()
    .map((row) => toSummary(db, row, base));
}

export function getInbox(db: Db, id: string): InboxSummary {
  return toSummary(db, getInboxRow(db, id), receiverBaseUrl(db));
}

/** Renames it, or changes its timestamp tolerance (null: the dialect's own); the next request sees it. */
export function updateInbox(db: Db, id: string, patch: InboxPatch): InboxSummary {
  getInboxRow(db, id);
  const set = inboxChanges(patch);
  if (Object.keys(set).length > 0) db.update(inboxes).set(set).where(eq(inboxes.id, id)).run();
  return getInbox(db, id);
}

/** Removes the inbox and its captures. */
export async function removeInbox(db: Db, id: string): Promise<{ removed: true; captures: number }> {
  getInboxRow(db, id);
  db.delete(inboxes).where(eq(inboxes.id, id)).run();
  let captures = 0;
  await deleteInSlices(db, () => {
    const ids = db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.hookId, id)).limit(REMOVE_CHUNK).all();
    if (ids.length > 0) db.delete(deliveries).where(inArray(deliveries.id, ids.map((d) => d.id))).run();
    captures += ids.length;
    return ids.length;
  });
  return { removed: true, captures };
}
