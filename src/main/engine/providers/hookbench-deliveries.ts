import { and, asc, desc, eq, getTableColumns, gt, inArray } from 'drizzle-orm';
import type { DeliverySummary } from '../../../shared/types';
import type { Db } from '../db/open';
import { deliveries } from '../db/schema';
import { toDeliverySummary } from '../store/rows';

const { body: _body, headers: _headers, ...summaryColumns } = getTableColumns(deliveries);

/** Hookbench's own record of provider delivery ids on one hook: the first copy of each (later ones are repeats). */
export function hookbenchCopies(db: Db, hookId: string, providerIds: string[]): Map<string, DeliverySummary> {
  const found = new Map<string, DeliverySummary>();
  if (providerIds.length === 0) return found;
  const rows = db
    .select(summaryColumns)
    .from(deliveries)
    .where(and(eq(deliveries.hookId, hookId), inArray(deliveries.providerDeliveryId, providerIds)))
    .orderBy(asc(deliveries.id))
    .all();
  for (const row of rows) {
    const summary = toDeliverySummary(row);
    const seen = found.get(row.providerDeliveryId!);
    // A stored copy beats a rejected one: it is what the provider's redelivery would repeat.
    if (!seen || (seen.outcome === 'rejected' && summary.outcome !== 'rejected')) found.set(row.providerDeliveryId!, summary);
  }
  return found;
}

export function lastDeliveryId(db: Db, hookId: string): number {
  return db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.hookId, hookId)).orderBy(desc(deliveries.id)).limit(1).get()?.id ?? 0;
}

/** The first delivery of this event on the hook after a given row id. */
export function deliveryAfter(db: Db, hookId: string, afterId: number, event: string): DeliverySummary | undefined {
  const row = db
    .select(summaryColumns)
    .from(deliveries)
    .where(and(eq(deliveries.hookId, hookId), gt(deliveries.id, afterId), eq(deliveries.event, event)))
    .orderBy(asc(deliveries.id))
    .limit(1)
    .get();
  return row ? toDeliverySummary(row) : undefined;
}

export function deliveryOutcome(db: Db, id: number) {
  return db
    .select({ id: deliveries.id, outcome: deliveries.outcome, outcomeReason: deliveries.outcomeReason, releaseId: deliveries.releaseId })
    .from(deliveries)
    .where(eq(deliveries.id, id))
    .get();
}

/**
 * Waits for something another part of the system (or another process: a running serve
 * shares the database) writes, by looking again every pollMs.
 */
export async function waitForRow<T>(probe: () => T | undefined, timeoutMs: number, pollMs: number, signal?: AbortSignal): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined || Date.now() >= deadline || signal?.aborted) return found;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}

export const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
