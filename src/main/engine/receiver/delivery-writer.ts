import type { PushEvent } from '../../../shared/contract';
import type { DeliveryOutcome, DeliverySource, Verdict, VerdictDetail } from '../../../shared/types';
import { lockRetryDelay } from '../db/write-lock';
import type { CommittedBatch, DeliveryStore, StoredDelivery } from './delivery-store';

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
  /** Inbox forwarding: told once queued forwards are durable. */
  forwards?: { kick: () => void };
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => value instanceof Promise;

/**
 * Group commit: deliveries arriving together share one transaction, and each request is
 * answered only once its commit is durable (see DeliveryStore). Whatever arrives while a batch
 * is being made durable forms the next batch; answers go out in the order deliveries arrived.
 */
export function createDeliveryWriter(
  store: DeliveryStore,
  publish: (event: PushEvent) => void,
  options: DeliveryWriterOptions = {},
  onRelayed: () => void = () => undefined,
) {
  const maxBatch = options.maxBatch ?? 64;
  const maxDelayMs = options.maxDelayMs ?? 0;
  let immediate: NodeJS.Immediate | null = null;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** Set while another writer holds what a commit needs: the queue is committed when this fires. */
  let blocked: NodeJS.Timeout | null = null;
  let blockedTries = 0;
  /** A commit that answers later (PostgreSQL): the next batch waits for it, so answers keep their order. */
  let committing: Promise<void> | null = null;
  let drained: (() => void) | null = null;
  /** The first row id of each batch committed but not yet durable. */
  const unflushed: number[] = [];

  /**
   * Commits the queue in order, at most maxBatch rows per transaction. When the store is busy,
   * what is left stays at the head of the queue and is tried again on a short timer: the
   * thread goes on reading requests meanwhile, and answers still go out in the order the
   * deliveries arrived.
   */
  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (blocked || committing) return;
    while (queue.length > 0) {
      const left = commitAndAcknowledge(queue.splice(0, maxBatch));
      if (isPromise(left)) {
        committing = left.then((rest) => {
          committing = null;
          if (!requeue(rest)) flush();
        });
        return;
      }
      if (requeue(left)) return;
    }
    blockedTries = 0;
    drained?.();
  }

  /** Puts back what the store was too busy to take, and tries again on a timer; false when nothing was left. */
  function requeue(left: Pending[]): boolean {
    if (left.length === 0) return false;
    queue = [...left, ...queue];
    blocked = setTimeout(() => {
      blocked = null;
      flush();
    }, lockRetryDelay(blockedTries++));
    return true;
  }

  /** Returns the deliveries not committed because the store was busy, in order. */
  function commitAndAcknowledge(batch: Pending[]): Pending[] | Promise<Pending[]> {
    let done: ReturnType<DeliveryStore['commit']>;
    try {
      done = store.commit(batch.map((p) => p.delivery));
    } catch (error) {
      return failed(batch, error);
    }
    if (isPromise(done)) {
      return done.then(
        (committed) => acknowledge(batch, committed),
        (error: unknown) => failed(batch, error),
      );
    }
    return acknowledge(batch, done);
  }

  function failed(batch: Pending[], error: unknown): Pending[] | Promise<Pending[]> {
    const kind = store.failure(error);
    if (kind === 'busy') return batch;
    if (kind === 'fatal' || batch.length === 1) {
      batch.forEach((p) => p.reject(error));
      return [];
    }
    // One request the database refuses must not fail the others sharing its commit.
    return commitEach(batch, 0);
  }

  function commitEach(batch: Pending[], from: number): Pending[] | Promise<Pending[]> {
    for (let i = from; i < batch.length; i++) {
      const left = commitAndAcknowledge([batch[i]!]);
      if (isPromise(left)) return left.then((rest) => (rest.length > 0 ? [...rest, ...batch.slice(i + 1)] : commitEach(batch, i + 1)));
      if (left.length > 0) return [...left, ...batch.slice(i + 1)];
    }
    return [];
  }

  function acknowledge(batch: Pending[], done: CommittedBatch): Pending[] {
    const first = done.stored[0]!.summary.id;
    unflushed.push(first);
    store.afterCommit((error) => {
      unflushed.splice(unflushed.indexOf(first), 1);
      // Committed but not known to be durable: not acknowledged; a retry is recognised as a repeat.
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
     * Rows from this id on may not be durable yet: nothing should act on them (ingest) before
     * they are acknowledged. null when every committed row is.
     */
    unflushedFrom: (): number | null => (unflushed.length ? Math.min(...unflushed) : null),
    /** Commits what is queued and waits until it is durable. */
    async close(): Promise<void> {
      if (immediate) clearImmediate(immediate);
      immediate = null;
      flush();
      // The store was busy, or a commit is under way: the retry timer or its end commits the rest.
      if (queue.length > 0 || committing) await new Promise<void>((resolve) => (drained = resolve));
      await store.close();
    },
  };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
