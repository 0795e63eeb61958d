import { and, eq, isNull, ne } from 'drizzle-orm';
import type { PushEvent } from '../../../shared/contract';
import type { ActivityKind, DeliveryOutcome, DeliverySource, DeliverySummary, Verdict, VerdictDetail } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { deliveries } from '../db/schema';
import { enqueueRelay } from '../outbound/enqueue';
import { recordActivity } from '../store/activity';
import { markHookVerified } from '../store/packages';
import { toDeliverySummary } from '../store/rows';

export interface IncomingDelivery {
  hookId: string;
  packageId: string | null;
  receivedAt: number;
  source: DeliverySource;
  remoteAddress: string | null;
  headers: [string, string][];
  body: Buffer;
  bodySize?: number;
  contentType: string | null;
  providerDeliveryId: string | null;
  event: string | null;
  verdict: Verdict;
  verdictDetail: VerdictDetail | null;
  statusCode: number;
  outcome: DeliveryOutcome;
  outcomeReason: string | null;
  tag: string | null;
}

export interface StoredDelivery {
  summary: DeliverySummary;
  /** Set when the provider already delivered this id: the request was recorded as a repeat. */
  duplicateOf: number | null;
}

interface Pending {
  delivery: IncomingDelivery;
  resolve: (stored: StoredDelivery) => void;
  reject: (error: unknown) => void;
}

export interface DeliveryWriterOptions {
  /** Most rows per transaction. */
  maxBatch?: number;
  /** Longest a delivery waits for others to share its commit. */
  maxDelayMs?: number;
}

const ACTIVITY_FOR: Partial<Record<DeliveryOutcome, ActivityKind>> = {
  rejected: 'rejected',
  duplicate: 'duplicate',
  ping: 'hook_verified',
};

function insertOne(db: Queryable, d: IncomingDelivery): { row: typeof deliveries.$inferSelect; duplicateOf: number | null } {
  let duplicateOf: number | null = null;
  let { outcome, outcomeReason, statusCode } = d;
  if (d.providerDeliveryId && outcome !== 'rejected') {
    const first = db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.hookId, d.hookId),
          eq(deliveries.providerDeliveryId, d.providerDeliveryId),
          isNull(deliveries.duplicateOf),
          ne(deliveries.outcome, 'rejected'),
        ),
      )
      .get();
    if (first) {
      duplicateOf = first.id;
      outcome = 'duplicate';
      statusCode = 200;
      outcomeReason = `Already received as delivery #${first.id} (provider delivery id ${d.providerDeliveryId}); nothing ingested again.`;
    }
  }
  const row = db
    .insert(deliveries)
    .values({
      hookId: d.hookId,
      packageId: d.packageId,
      receivedAt: d.receivedAt,
      source: d.source,
      remoteAddress: d.remoteAddress,
      headers: JSON.stringify(d.headers),
      body: d.body,
      bodySize: d.bodySize ?? d.body.length,
      contentType: d.contentType,
      providerDeliveryId: d.providerDeliveryId,
      event: d.event,
      verdict: d.verdict,
      verdictDetail: d.verdictDetail ? JSON.stringify(d.verdictDetail) : null,
      statusCode,
      outcome,
      outcomeReason,
      duplicateOf,
      tag: d.tag,
    })
    .returning()
    .get();
  return { row, duplicateOf };
}

/**
 * Group commit: deliveries arriving together share one fsynced transaction, and
 * each request is answered only after the commit that holds it returns.
 */
export function createDeliveryWriter(
  db: Db,
  publish: (event: PushEvent) => void,
  options: DeliveryWriterOptions = {},
  onRelayed: () => void = () => undefined,
) {
  const maxBatch = options.maxBatch ?? 64;
  const maxDelayMs = options.maxDelayMs ?? 2;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const events: PushEvent[] = [];
    const stored: StoredDelivery[] = [];
    let relayed = 0;
    try {
      db.transaction((tx) => {
        for (const { delivery } of batch) {
          const { row, duplicateOf } = insertOne(tx, delivery);
          const summary = toDeliverySummary(row);
          stored.push({ summary, duplicateOf });
          events.push({ type: 'delivery', delivery: summary });
          if (row.outcome === 'ping') markHookVerified(tx, row.hookId, row.receivedAt);
          if (row.verdict === 'valid' && row.outcome !== 'duplicate' && row.outcome !== 'rejected') relayed += enqueueRelay(tx, row, row.receivedAt);
          const kind = ACTIVITY_FOR[row.outcome];
          if (kind) {
            const entry = recordActivity(tx, {
              kind,
              packageId: row.packageId,
              deliveryId: row.id,
              at: row.receivedAt,
              message: kind === 'hook_verified' ? 'Ping received: the hook is set up and its signature verifies.' : `Delivery #${row.id}: ${row.outcomeReason ?? row.outcome}`,
            });
            events.push({ type: 'activity', entry });
          }
        }
      }, { behavior: 'immediate' });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => p.resolve(stored[i]!));
    for (const event of events) publish(event);
    if (relayed > 0) onRelayed();
  }

  return {
    write(delivery: IncomingDelivery): Promise<StoredDelivery> {
      return new Promise((resolve, reject) => {
        queue.push({ delivery, resolve, reject });
        if (queue.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, maxDelayMs);
      });
    },
    flush,
  };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
