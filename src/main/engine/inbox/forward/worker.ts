/**
 * Passes captures on to their inbox's forward targets, in the background: the receiver only
 * records each forward as pending (in the capture's own commit), so a slow or dead target
 * never holds back an acknowledgement. Rows are claimed with a lease (one statement moves
 * them to 'sending' until a given time), so two processes never send the same row; a claim
 * whose process died is taken back once it runs out. Failures are retried on the target's
 * schedule (outbound/retry.ts), and the schedule lives in the database, so a restart resumes it.
 */
import type { PushEvent } from '../../../../shared/contract';
import type { Db } from '../../db/open';
import { createLockedBatch } from '../../db/locked-batch';
import { unsyncedTransaction } from '../../db/unsynced-transaction';
import { isBusy, whenUnlocked } from '../../db/write-lock';
import { CLAIM_MARGIN_MS } from '../../outbound/dispatcher';
import { send as httpSend, type SendRequest, type SendResult } from '../../outbound/http-send';
import { decideRetry } from '../../outbound/retry';
import { headersForStorage, openHeaders } from '../../secrets/header-seal';
import type { SecretBox } from '../../secrets/secret-box';
import { forwardRequest } from './request';
import { prepareForwardStatements, type ForwardRow, type Settled } from './statements';
import { DEFAULT_FORWARD_RETRY } from './targets';
import { queueForwards } from './queue';
import { toForwardResult } from './view';

/** A target gets this long to answer one forward. */
export const FORWARD_TIMEOUT_MS = 30_000;
/** Forwards in flight to one target URL at once; the rest wait their turn in the database. */
const MAX_IN_FLIGHT = 8;
/** How long stopping waits for forwards in flight before handing their claims back. */
const STOP_GRACE_MS = 2_000;

export interface ForwarderOptions {
  db: Db;
  box: SecretBox;
  /** Told of each forward attempt once it is recorded. */
  publish?: (event: PushEvent) => void;
  now?: () => number;
  send?: (req: SendRequest) => Promise<SendResult>;
  timeoutMs?: number;
}

interface Finished {
  row: ForwardRow;
  result: SendResult;
}

export function createForwarder(options: ForwarderOptions) {
  const { db, box } = options;
  const now = options.now ?? Date.now;
  const send = options.send ?? httpSend;
  const timeoutMs = options.timeoutMs ?? FORWARD_TIMEOUT_MS;
  const q = prepareForwardStatements(db.$client);
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  /** Answers in, not yet recorded: what a pass-back arriving meanwhile reads. */
  const answered = new Map<number, SendResult>();
  const waiters = new Map<number, ((result: SendResult) => void)[]>();
  let stopped = true;
  /** Set once stopping has handed the claims in flight back: their answers are no longer recorded. */
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  let poll: NodeJS.Timeout | null = null;

  const leaseEnd = (at: number) => at + timeoutMs + CLAIM_MARGIN_MS;
  const hold = (url: string, by: number) => inFlight.set(url, (inFlight.get(url) ?? 0) + by);

  function record({ row, result }: Finished): void {
    const at = now();
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const attempts = row.attempts + 1;
    let state: Settled['state'] = 'delivered';
    let nextAttemptAt: number | null = null;
    let error = result.error;
    if (!ok) {
      const target = q.target({ inboxId: row.inboxId, url: row.targetUrl });
      const delaysSeconds = target ? (JSON.parse(target.retrySeconds) as number[]) : DEFAULT_FORWARD_RETRY;
      const retryAfter = result.headers.find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
      const decision = decideRetry({ status: result.status, retryAfter, attemptsMade: attempts }, { delaysSeconds, disableAfterExhausted: false }, at);
      // The target was removed meanwhile: nothing more is sent to it.
      nextAttemptAt = target ? decision.nextAttemptAt : null;
      state = nextAttemptAt === null ? 'failed' : 'pending';
      const note = target ? (result.status === 410 ? '410 Gone: no more attempts.' : decision.note) : 'The target was removed.';
      error = `${result.error ?? `HTTP ${result.status}`}. ${note}`;
    }
    q.settle(row.id, {
      state,
      attempts,
      nextAttemptAt,
      status: result.status,
      responseHeaders: headersForStorage(box, result.headers),
      responseBody: result.body,
      durationMs: result.durationMs,
      error,
      updatedAt: at,
    });
  }

  const recordSoon = createLockedBatch(
    db,
    (jobs: Finished[]) => {
      jobs.forEach(record);
      return jobs.map((j) => j.row.id);
    },
    (ids) => {
      for (const id of ids) {
        answered.delete(id);
        const row = options.publish && q.byId({ id });
        if (row) options.publish!({ type: 'forward', deliveryId: row.deliveryId, forward: toForwardResult(row) });
      }
      kick();
    },
  );

  async function attempt(row: ForwardRow): Promise<SendResult> {
    hold(row.targetUrl, 1);
    let result: SendResult;
    try {
      const target = q.target({ inboxId: row.inboxId, url: row.targetUrl });
      const captured = q.captured(row.deliveryId);
      result =
        target && captured
          ? await send(forwardRequest(box, target, captured, timeoutMs))
          : { status: null, headers: [], body: Buffer.alloc(0), truncated: false, durationMs: 0, error: target ? 'The capture was deleted.' : 'The target was removed.' };
    } catch (error) {
      result = { status: null, headers: [], body: Buffer.alloc(0), truncated: false, durationMs: 0, error: (error as Error).message };
    } finally {
      hold(row.targetUrl, -1);
    }
    answered.set(row.id, result);
    for (const resolve of waiters.get(row.id) ?? []) resolve(result);
    waiters.delete(row.id);
    return result;
  }

  /** Rows claimed by this process and not yet recorded. */
  const claimedHere = new Set<number>();

  function launch(row: ForwardRow): Promise<SendResult> {
    claimedHere.add(row.id);
    const sent = attempt(row);
    const job = sent
      .then((result) => (closing ? undefined : recordSoon({ row, result })))
      .catch((error: unknown) => {
        // Not recorded: the claim runs out (or was handed back) and the row is sent again.
        if (!closing) console.error('hookbench: could not record a forward:', (error as Error).message);
      })
      .finally(() => {
        claimedHere.delete(row.id);
        running.delete(job);
      });
    running.add(job);
    return sent;
  }

  function pump(): void {
    if (stopped) return;
    try {
      const at = now();
      // Read first: nothing due takes no write lock.
      const next = q.nextDue();
      if (next === null || next > at) return scheduleNext(at);
      const claimed = unsyncedTransaction(db, () =>
        q.dueTargets(at).flatMap((url) => {
          const free = MAX_IN_FLIGHT - (inFlight.get(url) ?? 0);
          return free > 0 ? q.claimDue(url, at, leaseEnd(at), free) : [];
        }),
      );
      claimed.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.id - b.id);
      claimed.forEach(launch);
      scheduleNext(at);
    } catch (error) {
      // Another process holds the write lock, or a statement failed: the next poll tries again.
      if (!isBusy(error)) console.error('hookbench: the forwarder could not claim work:', (error as Error).message);
    }
  }

  function scheduleNext(at: number): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const next = q.nextDue();
    if (next === null || next <= at) return;
    timer = setTimeout(pump, Math.min(next - at, 2 ** 31 - 1));
    timer.unref();
  }

  let kicked = false;
  function kick(): void {
    if (stopped || kicked) return;
    kicked = true;
    setImmediate(() => {
      kicked = false;
      pump();
    });
  }

  /** The first answer of one forward: sent here if no one has claimed it, else awaited from whoever did. */
  async function firstAnswer(rowId: number): Promise<SendResult | null> {
    const at = now();
    const mine = await whenUnlocked(() => unsyncedTransaction(db, () => q.claimOne(rowId, at, leaseEnd(at))));
    if (mine) return launch(mine);
    const known = answered.get(rowId);
    if (known) return known;
    const row = q.byId({ id: rowId });
    if (!row) return null;
    if (row.attempts > 0 && row.state !== 'sending') {
      const headers = row.responseHeaders ? openHeaders(box, JSON.parse(row.responseHeaders) as [string, string][]) : [];
      return { status: row.status, headers, body: row.responseBody ?? Buffer.alloc(0), truncated: false, durationMs: row.durationMs ?? 0, error: row.error };
    }
    return new Promise((resolve) => waiters.set(rowId, [...(waiters.get(rowId) ?? []), resolve]));
  }

  return {
    /** Queues a stored capture for its inbox's targets; inside the capture's commit. */
    queue: (row: Parameters<typeof queueForwards>[1]) => queueForwards(q, row),
    kick,
    /**
     * The pass-back target's answer to one capture, within `waitMs`; null when the inbox has no
     * pass-back target for it, or the target did not answer in time.
     */
    async answerFor(deliveryId: number, waitMs: number): Promise<SendResult | null> {
      const rowId = q.passBackRow(deliveryId);
      if (rowId === undefined) return null;
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => (timeout = setTimeout(() => resolve(null), waitMs)));
      try {
        return await Promise.race([firstAnswer(rowId), late]);
      } finally {
        clearTimeout(timeout);
      }
    },
    /** Records the status a pass-back gave the sender; a busy database leaves the planned one. */
    recordAnswered(deliveryId: number, status: number): void {
      try {
        unsyncedTransaction(db, () => q.answeredWith(deliveryId, status));
      } catch (error) {
        if (!isBusy(error)) console.error('hookbench: the status passed back could not be recorded:', (error as Error).message);
      }
    },
    start(): void {
      if (!stopped) return;
      stopped = false;
      poll = setInterval(() => {
        try {
          const at = now();
          if (q.anyExpired(at) && unsyncedTransaction(db, () => q.reclaimExpired(at)) > 0) kick();
        } catch (error) {
          if (!isBusy(error)) console.error('hookbench: the forwarder could not take back expired claims:', (error as Error).message);
        }
        kick();
      }, 1000);
      poll.unref();
      kick();
    },
    /** Resolves when nothing is in flight (tests, shutdown). */
    async settle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running]);
    },
    /**
     * Stops claiming; forwards in flight get a short grace to be answered and recorded, and
     * those still out after it are handed back to the queue, to be sent at the next start.
     */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([...running]), new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(grace);
      closing = true;
      if (claimedHere.size > 0) {
        const ids = [...claimedHere];
        await whenUnlocked(() => unsyncedTransaction(db, () => ids.forEach((id) => q.release(id)))).catch(() => undefined);
      }
    },
  };
}

export type Forwarder = ReturnType<typeof createForwarder>;
