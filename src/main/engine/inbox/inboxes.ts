import { randomBytes } from 'node:crypto';
import { count, eq, inArray, max } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import type { InboxCreated, InboxSummary } from '../../../shared/types';
import type { Db } from '../db/open';
import { deliveries, inboxes } from '../db/schema';
import { deleteInSlices } from '../db/sliced-writes';
import { dialectNames, getDialect, isDialectName } from '../dialects';
import { checkSecret } from '../outbound/endpoints';
import { previousSecretAccepted } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import { receiverBaseUrl } from '../store/settings';
import { storedAnswer } from './answer-rules';

/** Captured without checking any signature. */
export const NO_DIALECT = 'none';

/** Captures removed per slice when an inbox goes. */
const REMOVE_CHUNK = 500;

export type InboxRow = typeof inboxes.$inferSelect;

export interface InboxInput {
  name: string;
  dialect: string;
  secret?: string | undefined;
  toleranceSeconds?: number | undefined;
}

export const inboxUrl = (base: string, id: string) => `${base.replace(/\/+$/, '')}/in/${id}`;

function checkInboxDialect(name: string): void {
  if (name === NO_DIALECT || isDialectName(name)) return;
  throw new ApiError('invalid_params', `Unknown dialect "${name}"; use one of ${[NO_DIALECT, ...dialectNames].join(', ')}.`);
}

/** Creates an inbox; without a secret, one is made in the dialect's own form (whsec_…, base64url, hex). */
export function addInbox(db: Db, box: SecretBox, input: InboxInput): InboxCreated {
  checkInboxDialect(input.dialect);
  if (input.dialect === NO_DIALECT && input.secret !== undefined) {
    throw new ApiError('invalid_params', 'An inbox of dialect "none" checks no signature, so it takes no secret.');
  }
  const id = 'in_' + randomBytes(9).toString('base64url');
  let secret: string | null = null;
  if (input.dialect !== NO_DIALECT) {
    checkSecret(input.dialect, input.secret);
    secret = input.secret ?? getDialect(input.dialect).generateSecret();
  }
  db.insert(inboxes)
    .values({
      id,
      name: input.name,
      dialect: input.dialect,
      secretSealed: secret === null ? null : box.seal(secret),
      toleranceSeconds: input.toleranceSeconds ?? null,
      createdAt: Date.now(),
    })
    .run();
  return { id, url: inboxUrl(receiverBaseUrl(db), id), secret };
}

export function getInboxRow(db: Db, id: string): InboxRow {
  const row = db.select().from(inboxes).where(eq(inboxes.id, id)).get();
  if (!row) throw new ApiError('not_found', `No inbox with id ${id}.`);
  return row;
}

function toSummary(db: Db, row: InboxRow, base: string): InboxSummary {
  const stats = db.select({ n: count(), last: max(deliveries.receivedAt) }).from(deliveries).where(eq(deliveries.hookId, row.id)).get();
  return {
    id: row.id,
    name: row.name,
    dialect: row.dialect,
    toleranceSeconds: row.toleranceSeconds,
    url: inboxUrl(base, row.id),
    createdAt: row.createdAt,
    captures: stats?.n ?? 0,
    lastCaptureAt: stats?.last ?? null,
    answer: storedAnswer(row.answer),
    forwards: [],
    previousSecretUntil: previousSecretAccepted(row, Date.now()) ? row.previousSecretExpiresAt : null,
  };
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
export function updateInbox(db: Db, id: string, patch: { name?: string | undefined; toleranceSeconds?: number | null | undefined }): InboxSummary {
  getInboxRow(db, id);
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.toleranceSeconds !== undefined ? { toleranceSeconds: patch.toleranceSeconds } : {}),
  };
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
