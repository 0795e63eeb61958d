/**
 * Passes captures on to their inbox's forward targets, in the background: the receiver only
 * records each forward as pending (in the capture's own commit), so a slow or dead target
 * never holds back an acknowledgement. Rows are claimed with a lease (see ForwardQueue), so two
 * processes never send the same row; a claim whose process died is taken back once it runs
 * out. Failures are retried on the target's schedule (settlement.ts), and the schedule lives in
 * the database, so a restart resumes it. The same worker runs over a SQLite data dir and over a
 * team server's PostgreSQL database.
 */
import type { PushEvent } from '../../../../shared/contract';
import type { Db } from '../../db/open';
import { isBusy } from '../../db/write-lock';
import { CLAIM_MARGIN_MS } from '../../outbound/dispatcher';
import { send as httpSend, type SendRequest, type SendResult } from '../../outbound/http-send';
import { openHeaders } from '../../secrets/header-seal';
import type { SecretBox } from '../../secrets/secret-box';
import type { ForwardQueue } from './forward-queue';
import { queueForwards } from './queue';
import { forwardRequest } from './request';
import { forwardSettlement } from './settlement';
import { sqliteForwardQueue } from './sqlite-forward-queue';
import { prepareForwardStatements, type ForwardRow } from './statements';
import { toForwardResult } from './view';

/** A target gets this long to answer one forward. */
export const FORWARD_TIMEOUT_MS = 30_000;
/** Forwards in flight to one target URL at once from one process; the rest wait their turn in the database. */
const MAX_IN_FLIGHT = 8;
/** How long stopping waits for forwards in flight before handing their claims back. */
const STOP_GRACE_MS = 2_000;
/** How often a pass-back whose forward another process is sending reads the row again. */
const PEER_ANSWER_POLL_MS = 100;

export interface ForwardWorkerOptions {
  queue: ForwardQueue;
  box: SecretBox;
  /** Told of each forward attempt once it is recorded. */
  publish?: (event: PushEvent) => void;
  now?: () => number;
  send?: (req: SendRequest) => Promise<SendResult>;
  timeoutMs?: number;
}

const noAnswer = (error: string): SendResult => ({ status: null, headers: [], body: Buffer.alloc(0), truncated: false, durationMs: 0, error });

export function createForwardWorker(options: ForwardWorkerOptions) {
  const { queue, box } = options;
  const now = options.now ?? Date.now;
  const send = options.send ?? httpSend;
  const timeoutMs = options.timeoutMs ?? FORWARD_TIMEOUT_MS;
  const decide = forwardSettlement(box);
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  /** Answers in, not yet recorded: what a pass-back arriving meanwhile reads. */
  const answered = new Map<number, SendResult>();
  const waiters = new Map<number, ((result: SendResult) => void)[]>();
  /** Rows claimed by this process and not yet recorded. */
  const claimedHere = new Set<number>();
  let stopped = true;
  /** Set once stopping has handed the claims in flight back: their answers are no longer recorded. */
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  let poll: NodeJS.Timeout | null = null;

  const leaseEnd = (at: number) => at + timeoutMs + CLAIM_MARGIN_MS;
  const hold = (url: string, by: number) => inFlight.set(url, (inFlight.get(url) ?? 0) + by);
  const report = (what: string) => (error: unknown) => {
    // Another process holds a SQLite data dir's write lock: the next poll tries again.
    if (!isBusy(error)) console.error(`hookbench: ${what}:`, (error as Error).message);
  };

  async function attempt(row: ForwardRow): Promise<SendResult> {
    hold(row.targetUrl, 1);
    let result: SendResult;
    try {
      const [target, captured] = await Promise.all([queue.target(row.inboxId, row.targetUrl), queue.captured(row.deliveryId)]);
      result = target && captured ? await send(forwardRequest(box, target, captured, timeoutMs)) : noAnswer(target ? 'The capture was deleted.' : 'The target was removed.');
    } catch (error) {
      result = noAnswer((error as Error).message);
    } finally {
      hold(row.targetUrl, -1);
    }
    answered.set(row.id, result);
    for (const resolve of waiters.get(row.id) ?? []) resolve(result);
    waiters.delete(row.id);
    return result;
  }

  async function record(row: ForwardRow, result: SendResult): Promise<void> {
    const recorded = await queue.record({ row, result }, decide);
    answered.delete(row.id);
    if (recorded && options.publish) options.publish({ type: 'forward', deliveryId: recorded.deliveryId, forward: toForwardResult(recorded) });
    kick();
  }

  function launch(row: ForwardRow): Promise<SendResult> {
    claimedHere.add(row.id);
    const sent = attempt(row);
    const job = sent
      .then((result) => (closing ? undefined : record(row, result)))
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

  let pumping: Promise<void> | null = null;
  let again = false;

  async function claimAndSend(): Promise<void> {
    const at = now();
    // Read first: nothing due takes no write.
    const next = await queue.nextDue();
    if (next === null || next > at) return scheduleNext(at, next);
    const claimed = await queue.claimDue(at, leaseEnd(at), (url) => MAX_IN_FLIGHT - (inFlight.get(url) ?? 0));
    // Stopped meanwhile: what was just claimed goes back at once rather than when its lease runs out.
    if (stopped) {
      if (claimed.length > 0) await queue.release(claimed.map((row) => row.id));
      return;
    }
    claimed.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.id - b.id);
    claimed.forEach(launch);
    scheduleNext(at, await queue.nextDue());
  }

  function pump(): void {
    if (stopped) return;
    // One claim at a time per process; a kick meanwhile claims again after it.
    if (pumping) {
      again = true;
      return;
    }
    pumping = claimAndSend()
      .catch(report('the forwarder could not claim work'))
      .finally(() => {
        pumping = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  function scheduleNext(at: number, next: number | null): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || next === null || next <= at) return;
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

  /** A recorded first answer, from the row. */
  const fromRow = (row: ForwardRow): SendResult => ({
    status: row.status,
    headers: row.responseHeaders ? openHeaders(box, JSON.parse(row.responseHeaders) as [string, string][]) : [],
    body: row.responseBody ?? Buffer.alloc(0),
    truncated: false,
    durationMs: row.durationMs ?? 0,
    error: row.error,
  });

  /**
   * The first answer of one forward, by `deadline` (Date.now() time): sent here if no one has
   * claimed it, awaited if this process is sending it, else read from the row once the process
   * sending it has recorded it.
   */
  async function firstAnswer(rowId: number, deadline: number): Promise<SendResult | null> {
    let unclaimed = true;
    while (Date.now() < deadline) {
      const at = now();
      const mine = unclaimed ? await queue.claimOne(rowId, at, leaseEnd(at)) : undefined;
      if (mine) return launch(mine);
      const known = answered.get(rowId);
      if (known) return known;
      const row = await queue.byId(rowId);
      if (!row) return null;
      if (row.attempts > 0 && row.state !== 'sending') return fromRow(row);
      // Handed back by a process that stopped before it was sent: claimed again next time round.
      unclaimed = row.state === 'pending';
      const result = await new Promise<SendResult | null>((resolve) => {
        waiters.set(rowId, [...(waiters.get(rowId) ?? []), resolve]);
        // Sent by another process: its answer reaches this one only through the row.
        if (!claimedHere.has(rowId)) setTimeout(() => resolve(null), PEER_ANSWER_POLL_MS).unref();
      });
      if (result) return result;
    }
    return null;
  }

  return {
    kick,
    /**
     * The pass-back target's answer to one capture, within `waitMs`; null when the inbox has no
     * pass-back target for it, or the target did not answer in time.
     */
    async answerFor(deliveryId: number, waitMs: number): Promise<SendResult | null> {
      const rowId = await queue.passBackRow(deliveryId);
      if (rowId === undefined) return null;
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => (timeout = setTimeout(() => resolve(null), waitMs)));
      try {
        return await Promise.race([firstAnswer(rowId, Date.now() + waitMs), late]);
      } finally {
        clearTimeout(timeout);
      }
    },
    /** Records the status a pass-back gave the sender; a busy data dir leaves the planned one. */
    recordAnswered: (deliveryId: number, status: number): Promise<void> => queue.answeredWith(deliveryId, status).catch(report('the status passed back could not be recorded')),
    start(): void {
      if (!stopped) return;
      stopped = false;
      closing = false;
      poll = setInterval(() => {
        queue.reclaimExpired(now()).catch(report('the forwarder could not take back expired claims')).finally(kick);
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
      await pumping;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([...running]), new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(grace);
      closing = true;
      if (claimedHere.size > 0) await queue.release([...claimedHere]).catch(() => undefined);
    },
  };
}

export type ForwardWorker = ReturnType<typeof createForwardWorker>;

export interface ForwarderOptions extends Omit<ForwardWorkerOptions, 'queue'> {
  db: Db;
}

/** The forwarder of a SQLite data dir; it also queues each capture's forwards inside the capture's commit. */
export function createForwarder(options: ForwarderOptions) {
  const q = prepareForwardStatements(options.db.$client);
  const worker = createForwardWorker({ ...options, queue: sqliteForwardQueue(options.db, q, options.now ?? Date.now) });
  return {
    ...worker,
    /** Queues a stored capture for its inbox's targets; inside the capture's commit. */
    queue: (row: Parameters<typeof queueForwards>[1]) => queueForwards(q, row),
  };
}
