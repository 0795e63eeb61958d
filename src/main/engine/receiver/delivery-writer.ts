import type { PushEvent } from '../../../shared/contract';
import type { ActivityKind, DeliveryOutcome, DeliverySource, DeliverySummary, Verdict, VerdictDetail } from '../../../shared/types';
import type { Db } from '../db/open';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { createWalSync } from '../db/wal-sync';
import { isBusy, lockRetryDelay } from '../db/write-lock';
import { enqueueRelay } from '../outbound/enqueue';
import { recordActivity } from '../store/activity';
import type { SecretBox } from '../secrets/secret-box';
import { markHookVerified } from '../store/packages';
import { toDeliverySummary } from '../store/rows';
import { prepareDeliveryRows, type WrittenDelivery } from './delivery-rows';
import { prepareHookProof, provesHook } from './hook-proof';

type DeliveryRow = WrittenDelivery['row'];

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
  /** Inbox captures: the request's method and the path after the inbox address, query included. */
  method?: string | null;
  path?: string | null;
  /** Values never stored in clear, whichever header carries them: the hook's own secret. */
  secrets?: readonly string[];
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
   * Longest a delivery waits for others to share its commit; 0 (the default) commits
   * once the event loop has read every request that arrived together.
   */
  maxDelayMs?: number;
  /** Seals credential headers at rest; the engine always gives its own. */
  box?: SecretBox;
  /** Inbox forwarding: queues a capture for its targets inside its commit, and is told once it is on disk. */
  forwards?: { queue: (row: DeliveryRow) => number; kick: () => void };
}

const ACTIVITY_FOR: Partial<Record<DeliveryOutcome, ActivityKind>> = {
  rejected: 'rejected',
  duplicate: 'duplicate',
  ping: 'hook_verified',
};

/**
 * Group commit: deliveries arriving together share one transaction and one WAL flush,
 * and each request is answered only after a flush that began once its commit returned.
 * The flush runs off the event loop, so requests keep being read and verified meanwhile;
 * whatever arrives during a flush forms the next batch.
 */
export function createDeliveryWriter(
  db: Db,
  publish: (event: PushEvent) => void,
  options: DeliveryWriterOptions = {},
  onRelayed: () => void = () => undefined,
) {
  const maxBatch = options.maxBatch ?? 64;
  const maxDelayMs = options.maxDelayMs ?? 0;
  let immediate: NodeJS.Immediate | null = null;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** Set while another process holds the write lock: the queue is committed when this fires. */
  let blocked: NodeJS.Timeout | null = null;
  let blockedTries = 0;
  let drained: (() => void) | null = null;
  const rows = prepareDeliveryRows(db.$client, options.box);
  const proofs = prepareHookProof(db.$client);
  const walSync = createWalSync(db.$client);
  /** The first row id of each batch committed but not yet on disk. */
  const unflushed: number[] = [];

  function commit(batch: Pending[]): { stored: StoredDelivery[]; events: PushEvent[]; relayed: number; forwarded: number } {
    const events: PushEvent[] = [];
    const stored: StoredDelivery[] = [];
    let relayed = 0;
    let forwarded = 0;
    const relays = new Map<string, boolean>();
    const relaysFor = (packageId: string) => {
      let yes = relays.get(packageId);
      if (yes === undefined) relays.set(packageId, (yes = rows.relayed(packageId)));
      return yes;
    };
    unsyncedTransaction(db, () => {
      proofs.nextBatch();
      for (const { delivery } of batch) {
        const { row, duplicateOf } = rows.write(delivery);
        const summary = toDeliverySummary(row);
        stored.push({ summary, duplicateOf });
        events.push({ type: 'delivery', delivery: summary });
        if (row.outcome === 'ping' && provesHook(row)) {
          markHookVerified(db, row.hookId, row.receivedAt);
          events.push({ type: 'packages' });
        } else if (proofs.note(row)) {
          const entry = recordActivity(db, {
            kind: 'hook_verified',
            packageId: row.packageId,
            deliveryId: row.id,
            at: row.receivedAt,
            message: `Delivery #${row.id} arrived with a valid signature: the hook is set up.`,
          });
          events.push({ type: 'activity', entry }, { type: 'packages' });
        }
        if (row.verdict === 'valid' && row.outcome !== 'duplicate' && row.outcome !== 'rejected' && row.packageId && relaysFor(row.packageId)) {
          relayed += enqueueRelay(db, row, row.receivedAt);
        }
        if (options.forwards && row.packageId === null) forwarded += options.forwards.queue(row);
        // A replayed ping proves nothing about the hook: the replay is in the feed on its own.
        const kind = row.outcome === 'ping' && !provesHook(row) ? undefined : ACTIVITY_FOR[row.outcome];
        if (kind) {
          const entry = recordActivity(db, {
            kind,
            packageId: row.packageId,
            deliveryId: row.id,
            at: row.receivedAt,
            message: kind === 'hook_verified' ? 'Ping received: the hook is set up and its signature verifies.' : `Delivery #${row.id}: ${row.outcomeReason ?? row.outcome}`,
          });
          events.push({ type: 'activity', entry });
        }
      }
    });
    return { stored, events, relayed, forwarded };
  }

  /**
   * Commits the queue in order, at most maxBatch rows per transaction. When another process
   * holds the write lock, what is left stays at the head of the queue and is tried again on
   * a short timer: the thread goes on reading requests meanwhile, and answers still go out in
   * the order the deliveries arrived.
   */
  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (blocked) return;
    while (queue.length > 0) {
      const left = commitAndAcknowledge(queue.splice(0, maxBatch));
      if (left.length > 0) {
        queue = [...left, ...queue];
        blocked = setTimeout(() => {
          blocked = null;
          flush();
        }, lockRetryDelay(blockedTries++));
        return;
      }
    }
    blockedTries = 0;
    drained?.();
  }

  /** Returns the deliveries not committed because the write lock was taken, in order. */
  function commitAndAcknowledge(batch: Pending[]): Pending[] {
    let done: ReturnType<typeof commit>;
    try {
      done = commit(batch);
    } catch (error) {
      if (isBusy(error)) return batch;
      // One request the database refuses must not fail the others sharing its commit.
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return [];
      }
      for (let i = 0; i < batch.length; i++) {
        const left = commitAndAcknowledge([batch[i]!]);
        if (left.length > 0) return [...left, ...batch.slice(i + 1)];
      }
      return [];
    }
    const first = done.stored[0]!.summary.id;
    unflushed.push(first);
    walSync.afterCommit((error) => {
      unflushed.splice(unflushed.indexOf(first), 1);
      // Committed but not known to be on disk: not acknowledged; a retry is recognised as a repeat.
      if (error) return batch.forEach((p) => p.reject(error));
      batch.forEach((p, i) => p.resolve(done.stored[i]!));
      for (const event of done.events) publish(event);
      if (done.relayed > 0) onRelayed();
      if (done.forwarded > 0) options.forwards?.kick();
    });
    return [];
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
    /**
     * Rows from this id on may not be on disk yet: nothing should act on them (ingest) before
     * they are acknowledged. null when every committed row is.
     */
    unflushedFrom: (): number | null => (unflushed.length ? Math.min(...unflushed) : null),
    /** Commits what is queued and waits until it is on disk. */
    async close(): Promise<void> {
      if (immediate) clearImmediate(immediate);
      immediate = null;
      flush();
      // Another process holds the lock: the retry timer commits the rest.
      if (queue.length > 0) await new Promise<void>((resolve) => (drained = resolve));
      await walSync.close();
    },
  };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
