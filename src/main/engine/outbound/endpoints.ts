import { eq, inArray, sql } from 'drizzle-orm';
import type { EndpointStats, EndpointSummary } from '../../../shared/types';
import { maskUrl } from '../../../shared/secret-headers';
import type { Db, Queryable } from '../db/open';
import { preparedOn } from '../db/prepared';
import { endpoints, messages } from '../db/schema';
import { deleteInSlices } from '../db/sliced-writes';
import { getDialect } from '../dialects';
import type { SecretBox } from '../secrets/secret-box';
import { noEndpoint } from './endpoint-rules';
import { endpointStats } from './stats';

// Inboxes check a secret given by hand with the same rule.
export { checkSecret } from './endpoint-rules';

export type EndpointRow = typeof endpoints.$inferSelect;

const endpointById = preparedOn((db) => db.select().from(endpoints).where(eq(endpoints.id, sql.placeholder('id'))).prepare());

export const findEndpointRow = (db: Queryable, id: string): EndpointRow | undefined => endpointById(db).get({ id });

export function getEndpointRow(db: Queryable, id: string): EndpointRow {
  const row = findEndpointRow(db, id);
  if (!row) throw noEndpoint(id);
  return row;
}

/** Secrets to sign with, newest first; the previous one only while its overlap lasts. */
export function signingSecrets(box: SecretBox, row: EndpointRow, now: number): string[] {
  const secrets = [box.open(row.secretSealed)];
  if (row.previousSecretSealed && (row.previousSecretExpiresAt ?? 0) > now) secrets.push(box.open(row.previousSecretSealed));
  return secrets;
}

export function effectiveDelays(row: Pick<EndpointRow, 'retryDelays' | 'dialect'>): { delaysSeconds: number[]; disableAfterExhausted: boolean } {
  const dialect = getDialect(row.dialect);
  const custom = row.retryDelays ? (JSON.parse(row.retryDelays) as number[]) : null;
  return { delaysSeconds: custom ?? dialect.retry.delaysSeconds, disableAfterExhausted: dialect.retry.disableAfterExhausted };
}

/**
 * Removes an endpoint's messages and attempts, then the endpoint. A long history goes a few
 * hundred messages per transaction (see sliced-writes.ts): deleting it in one would keep a
 * running serve's receiver waiting for the write lock.
 */
export async function removeEndpointWithHistory(db: Db, id: string): Promise<void> {
  await deleteInSlices(db, () => {
    const ids = db.select({ id: messages.id }).from(messages).where(eq(messages.endpointId, id)).limit(HISTORY_CHUNK).all();
    // Their attempts go with them (ON DELETE CASCADE).
    if (ids.length > 0) db.delete(messages).where(inArray(messages.id, ids.map((m) => m.id))).run();
    return ids.length;
  });
  db.delete(endpoints).where(eq(endpoints.id, id)).run();
}

const HISTORY_CHUNK = 200;

/** What a list shows of an endpoint, with its stats as read from either store; never its secret, nor a credential in its URL. */
export function summaryFrom(row: EndpointRow, stats: EndpointStats, now: number): EndpointSummary {
  return {
    id: row.id,
    name: row.name,
    url: maskUrl(row.url),
    dialect: row.dialect,
    events: JSON.parse(row.events) as string[],
    active: row.active,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    retryDelays: row.retryDelays ? (JSON.parse(row.retryDelays) as number[]) : null,
    effectiveRetryDelays: effectiveDelays(row).delaysSeconds,
    maxInFlight: row.maxInFlight,
    timeoutMs: row.timeoutMs,
    rotatingUntil: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null,
    relay: row.relayPackageId && row.relayMode ? { packageId: row.relayPackageId, mode: row.relayMode } : null,
    format: row.format,
    template: row.template,
    createdAt: row.createdAt,
    stats,
  };
}

export const toEndpointSummary = (db: Queryable, row: EndpointRow, now = Date.now()): EndpointSummary => summaryFrom(row, endpointStats(db, row.id), now);

/** One endpoint's summary as stored now; undefined once it is removed. */
export function endpointSummaryOf(db: Queryable, endpointId: string): EndpointSummary | undefined {
  const row = findEndpointRow(db, endpointId);
  return row ? toEndpointSummary(db, row) : undefined;
}
