import { and, eq, getTableColumns, isNull, ne, sql } from 'drizzle-orm';
import type { PushEvent } from '../../../shared/contract';
import type { ActivityKind, DeliveryOutcome, DeliverySource, DeliverySummary, Verdict, VerdictDetail } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { deliveries, endpoints } from '../db/schema';
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
  /** "delivery:12", "attempt:7", "fixture:3" when this is a replay. */
  replayOf?: string | null;
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
  /**
   * Longest a delivery waits for others to share its commit (default 2 ms); 0 commits
   * once the event loop has read every request that arrived together.
   */
  maxDelayMs?: number;
}

const ACTIVITY_FOR: Partial<Record<DeliveryOutcome, ActivityKind>> = {
  rejected: 'rejected',
  duplicate: 'duplicate',
  ping: 'hook_verified',
};

const ph = (name: string) => sql.placeholder(name);

/** Prepared once: the receiver's hot path must not rebuild SQL per request. */
function prepareStatements(db: Queryable) {
  const firstDelivery = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.hookId, ph('hookId')),
        eq(deliveries.providerDeliveryId, ph('providerDeliveryId')),
        isNull(deliveries.duplicateOf),
        ne(deliveries.outcome, 'rejected'),
      ),
    )
    .prepare();
  const { body: _body, headers: _headers, ...summaryColumns } = getTableColumns(deliveries);
  const insert = db
    .insert(deliveries)
    .values({
      hookId: ph('hookId'),
      packageId: ph('packageId'),
      receivedAt: ph('receivedAt'),
      source: ph('source'),
      remoteAddress: ph('remoteAddress'),
      headers: ph('headers'),
      body: ph('body'),
      bodySize: ph('bodySize'),
      contentType: ph('contentType'),
      providerDeliveryId: ph('providerDeliveryId'),
      event: ph('event'),
      verdict: ph('verdict'),
      verdictDetail: ph('verdictDetail'),
      statusCode: ph('statusCode'),
      outcome: ph('outcome'),
      outcomeReason: ph('outcomeReason'),
      duplicateOf: ph('duplicateOf'),
      tag: ph('tag'),
      replayOf: ph('replayOf'),
    })
    .returning(summaryColumns)
    .prepare();
  const relayTarget = db
    .select({ id: endpoints.id })
    .from(endpoints)
    .where(and(eq(endpoints.relayPackageId, ph('packageId')), eq(endpoints.active, true)))
    .limit(1)
    .prepare();
  return { firstDelivery, insert, relayTarget };
}

type Statements = ReturnType<typeof prepareStatements>;
type InsertedRow = Awaited<ReturnType<Statements['insert']['get']>>;

function insertOne(statements: Statements, d: IncomingDelivery): { row: InsertedRow; duplicateOf: number | null } {
  let duplicateOf: number | null = null;
  let { outcome, outcomeReason, statusCode } = d;
  if (d.providerDeliveryId && outcome !== 'rejected') {
    const first = statements.firstDelivery.get({ hookId: d.hookId, providerDeliveryId: d.providerDeliveryId });
    if (first) {
      duplicateOf = first.id;
      outcome = 'duplicate';
      statusCode = 200;
      outcomeReason = `Already received as delivery #${first.id} (provider delivery id ${d.providerDeliveryId}); nothing ingested again.`;
    }
  }
  const row = statements.insert.get({
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
    replayOf: d.replayOf ?? null,
  })!;
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
  let immediate: NodeJS.Immediate | null = null;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  const statements = prepareStatements(db);

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
          const { row, duplicateOf } = insertOne(statements, delivery);
          const summary = toDeliverySummary(row);
          stored.push({ summary, duplicateOf });
          events.push({ type: 'delivery', delivery: summary });
          if (row.outcome === 'ping') markHookVerified(tx, row.hookId, row.receivedAt);
          if (row.verdict === 'valid' && row.outcome !== 'duplicate' && row.outcome !== 'rejected'  && row.packageId && statements.relayTarget.get({ packageId: row.packageId })) {
            relayed += enqueueRelay(tx, { ...row, headers: JSON.stringify(delivery.headers), body: delivery.body }, row.receivedAt);
          }
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
        else if (maxDelayMs > 0) timer ??= setTimeout(flush, maxDelayMs);
        else
          immediate ??= setImmediate(() => {
            immediate = null;
            flush();
          });
      });
    },
    flush,
  };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
