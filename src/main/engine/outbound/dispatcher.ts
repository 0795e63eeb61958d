import { eq } from 'drizzle-orm';
import type { PushEvent } from '../../../shared/contract';
import { createLockedBatch } from '../db/locked-batch';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { isBusy, lockRetryDelay, whenUnlocked } from '../db/write-lock';
import type { Db } from '../db/open';
import { endpoints, messages } from '../db/schema';
import { getDialect } from '../dialects';
import { isHiddenHeader } from '../../../shared/secret-headers';
import type { SecretBox } from '../secrets/secret-box';
import { VERSION } from '../version';
import { signingSecrets, toEndpointSummary, type EndpointRow } from './endpoints';
import { send as httpSend, type SendRequest, type SendResult } from './http-send';
import { type MessageRow } from './messages';
import { combineSignatures } from './multi-signature';
import { attemptRecorder, type Finished } from './record-attempt';
import { prepareDispatchStatements } from './statements';

export interface DispatcherOptions {
  db: Db;
  box: SecretBox;
  publish: (event: PushEvent) => void;
  now?: () => number;
  send?: (req: SendRequest) => Promise<SendResult>;
  /** Multiplies every retry delay (tests watch a whole schedule in seconds); 1 by default. */
  retryDelayScale?: number;
}

/**
 * How long a claim outlasts the endpoint's timeout: time to build the request and record
 * the answer. Past it, a running serve takes the message back (its sender is presumed dead)
 * and sends it again under the same id, which receivers dedupe on.
 */
export const CLAIM_MARGIN_MS = 5_000;
const leaseEnd = (endpoint: EndpointRow, at: number) => at + endpoint.timeoutMs + CLAIM_MARGIN_MS;

function signedHeaders(endpoint: EndpointRow, message: MessageRow, secrets: string[], now: number): [string, string][] {
  const dialect = getDialect(endpoint.dialect);
  const options = { timestamp: Math.floor(now / 1000), id: message.messageId, event: message.event };
  return Object.entries(combineSignatures(dialect.name, secrets.map((s) => dialect.sign(message.body, s, options).headers)));
}

/**
 * Sends what is due, from the database: each message's next attempt time is stored,
 * so a restart resumes the schedule. Endpoints are independent: each has its own
 * in-flight limit, and a slow one only ever occupies its own slots.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { db, box, publish } = options;
  const now = options.now ?? Date.now;
  const send = options.send ?? httpSend;
  const inFlight = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  /** Set when this dispatcher sends for one endpoint only. */
  let only: string | null = null;
  let pumping = false;
  const running = new Set<Promise<void>>();
  const q = prepareDispatchStatements(db);

  function buildRequest(endpoint: EndpointRow, message: MessageRow, at: number): SendRequest {
    // A relay never passes a credential on (a message queued before that rule may still hold one).
    const extra = message.extraHeaders ? (JSON.parse(message.extraHeaders) as [string, string][]).filter((pair) => !isHiddenHeader(pair)) : [];
    // A relay in original mode carries the provider's own Content-Type and User-Agent: those win.
    const own = new Set(extra.map(([k]) => k.toLowerCase()));
    const headers: [string, string][] = [
      ...([
        ['content-type', message.contentType],
        ['user-agent', `Hookbench-Webhook/${VERSION}`],
      ] as [string, string][]).filter(([k]) => !own.has(k)),
      ...extra,
    ];
    if (message.signed) {
      const signed = signedHeaders(endpoint, message, signingSecrets(box, endpoint, at), at);
      const names = new Set(signed.map(([k]) => k.toLowerCase()));
      return { url: endpoint.url, headers: [...headers.filter(([k]) => !names.has(k.toLowerCase())), ...signed], body: message.body, timeoutMs: endpoint.timeoutMs };
    }
    return { url: endpoint.url, headers, body: message.body, timeoutMs: endpoint.timeoutMs };
  }

  const record = attemptRecorder(db, box, q, now, options.retryDelayScale);

  // Attempts finishing together share one commit, as deliveries do in the receiver; the
  // slots they free are claimed again in the same transaction.
  const recordSoon = createLockedBatch(
    db,
    (jobs: Finished[]) => ({ events: jobs.flatMap(record), next: stopped ? [] : claimWork(now()) }),
    (written) => {
      for (const event of written.events) publish(event);
      launchAll(written.next);
      // A retry scheduled just now needs a timer when nothing else keeps the dispatcher busy.
      if (written.next.length === 0 && !stopped) scheduleNext(now());
    },
  );

  /** Sends in flight per endpoint: held from before the request until its answer is in. */
  const hold = (endpointId: string, by: number) => inFlight.set(endpointId, (inFlight.get(endpointId) ?? 0) + by);

  async function attempt(endpoint: EndpointRow, message: MessageRow): Promise<void> {
    const startedAt = now();
    hold(endpoint.id, 1);
    let req: SendRequest;
    let result: SendResult;
    try {
      req = buildRequest(endpoint, message, startedAt);
      result = await send(req);
    } finally {
      hold(endpoint.id, -1);
    }
    const trigger = message.manualNext ? 'manual' : 'scheduled';
    await recordSoon({ endpoint, message, req, result, startedAt, trigger });
    summarySoon(endpoint.id);
  }

  // An endpoint's summary (stats over its attempts) is pushed at most a few times a second.
  const summaryDue = new Map<string, NodeJS.Timeout>();
  function summarySoon(endpointId: string): void {
    if (stopped || summaryDue.has(endpointId)) return;
    const t = setTimeout(() => {
      summaryDue.delete(endpointId);
      try {
        const row = db.select().from(endpoints).where(eq(endpoints.id, endpointId)).get();
        if (row && !stopped) publish({ type: 'endpoint', endpoint: toEndpointSummary(db, row) });
      } catch (error) {
        // Only a summary: the next attempt pushes another.
        console.error('hookbench: could not read an endpoint summary:', (error as Error).message);
      }
    }, 250);
    t.unref();
    summaryDue.set(endpointId, t);
  }

  /** Marks a message as being sent; false when another process got to it first. */
  async function claim(endpoint: EndpointRow, message: MessageRow): Promise<boolean> {
    const at = now();
    return (await whenUnlocked(() => unsyncedTransaction(db, () => q.claim(message.id, at, leaseEnd(endpoint, at))))) !== undefined;
  }

  function launch(endpoint: EndpointRow, message: MessageRow): void {
    const job = attempt(endpoint, message)
      .catch((error: unknown) => {
        // Recording failed (database closed while sending): leave it for the next start.
        console.error('hookbench: could not record an attempt:', (error as Error).message);
        kick();
      })
      .finally(() => running.delete(job));
    running.add(job);
  }

  type Work = [EndpointRow, MessageRow][];

  /** Claims what is due, as many per endpoint as it has free slots; call inside a transaction. */
  function claimWork(at: number): Work {
    const work: Work = [];
    for (const endpoint of q.activeEndpoints({ active: true })) {
      if (only !== null && endpoint.id !== only) continue;
      const free = endpoint.maxInFlight - (inFlight.get(endpoint.id) ?? 0);
      if (free <= 0) continue;
      const claimed = q.claimDue(endpoint.id, at, leaseEnd(endpoint, at), free);
      // RETURNING gives no order: send the oldest due first.
      claimed.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.id - b.id);
      for (const message of claimed) work.push([endpoint, message]);
    }
    return work;
  }

  const launchAll = (work: Work) => work.forEach(([endpoint, message]) => launch(endpoint, message));

  let busyTries = 0;
  function pump(): void {
    if (stopped || pumping) return;
    pumping = true;
    try {
      const at = now();
      // Ingest kicks the dispatcher for every batch of releases; with no endpoint there is nothing to claim.
      if (q.activeEndpoints({ active: true }).length === 0) return;
      // Read again inside the transaction: another process may have changed an endpoint meanwhile.
      const work = unsyncedTransaction(db, () => claimWork(at));
      launchAll(work);
      busyTries = 0;
      // Sends under way claim the next work when they are recorded; only an idle dispatcher needs a timer.
      if (work.length === 0) scheduleNext(at);
    } catch (error) {
      if (isBusy(error)) {
        // Another process holds the write lock: try again shortly, without waiting on it here.
        if (timer) clearTimeout(timer);
        timer = setTimeout(pump, lockRetryDelay(busyTries++));
      } else {
        // Left to the next poll: a failed statement must not stop sending.
        console.error('hookbench: the dispatcher could not claim work:', (error as Error).message);
      }
    } finally {
      pumping = false;
    }
  }

  /** Takes back the claims of a sender that died mid-send; tried again at the next poll if the lock is taken. */
  function reclaimExpired(): void {
    try {
      if (unsyncedTransaction(db, () => q.reclaimExpired(now())) > 0) kick();
    } catch (error) {
      if (!isBusy(error)) console.error('hookbench: the dispatcher could not take back expired claims:', (error as Error).message);
    }
  }

  function scheduleNext(at: number): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const next = q.nextDue.get()?.at;
    if (next === null || next === undefined) return;
    // Due work held back by a full endpoint is re-pumped when one of its sends finishes.
    if (next <= at) return;
    timer = setTimeout(pump, Math.min(next - at, 2 ** 31 - 1));
  }

  let kicked = false;
  /** Many kicks in one turn of the event loop make one pump. */
  function kick(): void {
    if (stopped || kicked) return;
    kicked = true;
    setImmediate(() => {
      kicked = false;
      pump();
    });
  }

  let poll: NodeJS.Timeout | null = null;

  return {
    /**
     * Starts sending what is due. The engine that serves recovers sends a crash interrupted;
     * a short-lived sender beside it (the CLI's `trigger --count`) must not, since those may be
     * the server's own sends in flight, and keeps to the one endpoint it was asked about.
     */
    start(options: { recover?: boolean; endpointId?: string } = {}): void {
      if (!stopped) return;
      stopped = false;
      only = options.endpointId ?? null;
      // A send interrupted by a crash is sent again: receivers dedupe on the message id.
      if (options.recover !== false) db.update(messages).set({ state: 'pending' }).where(eq(messages.state, 'sending')).run();
      // Work queued by another process (the CLI beside a running serve) is found within a second,
      // and the serving process takes back the sends of one that died.
      const recover = options.recover !== false;
      poll = setInterval(() => {
        if (recover) reclaimExpired();
        kick();
      }, 1000);
      poll.unref();
      kick();
    },
    /**
     * Sends one message now, outside the schedule (the CLI's trigger and resend).
     * Returns false when another process is already sending it.
     */
    async sendNow(rowId: number): Promise<boolean> {
      const row = db.select({ message: messages, endpoint: endpoints }).from(messages).innerJoin(endpoints, eq(endpoints.id, messages.endpointId)).where(eq(messages.id, rowId)).get();
      if (!row || !(await claim(row.endpoint, row.message))) return false;
      await attempt(row.endpoint, row.message);
      return true;
    },
    kick,
    /** Resolves when nothing is in flight (tests, shutdown). */
    async settle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running]);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const t of summaryDue.values()) clearTimeout(t);
      summaryDue.clear();
      await Promise.all([...running]);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
