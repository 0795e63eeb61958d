import type { PushEvent } from '../../../shared/contract';
import type { EndpointSummary } from '../../../shared/types';
import { getDialect } from '../dialects';
import { isHiddenHeader } from '../../../shared/secret-headers';
import type { SecretBox } from '../secrets/secret-box';
import { VERSION } from '../version';
import type { Claimed, DispatchQueue, Finished, Recovery } from './dispatch-queue';
import { signingSecrets, type EndpointRow } from './endpoints';
import { send as httpSend, type SendRequest, type SendResult } from './http-send';
import { type MessageRow } from './messages';
import { combineSignatures } from './multi-signature';
import { createBatchedWrite } from './record-batch';

export { CLAIM_MARGIN_MS } from './dispatch-queue';

export interface DispatcherOptions {
  /** Where messages wait and attempts are recorded: a SQLite data dir or a PostgreSQL database. */
  queue: DispatchQueue;
  box: SecretBox;
  publish: (event: PushEvent) => void;
  now?: () => number;
  send?: (req: SendRequest) => Promise<SendResult>;
  /** An endpoint's summary (stats over its attempts), pushed after its sends; none when absent. */
  summarize?: (endpointId: string) => EndpointSummary | undefined;
}

function signedHeaders(endpoint: EndpointRow, message: MessageRow, secrets: string[], now: number): [string, string][] {
  const dialect = getDialect(endpoint.dialect);
  const options = { timestamp: Math.floor(now / 1000), id: message.messageId, event: message.event };
  return Object.entries(combineSignatures(dialect.name, secrets.map((s) => dialect.sign(message.body, s, options).headers)));
}

/**
 * Sends what is due, from the database: each message's next attempt time is stored,
 * so a restart resumes the schedule. Endpoints are independent: each has its own
 * in-flight limit (held across every process claiming from the same store), and a slow one
 * only ever occupies its own slots.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { queue, box, publish } = options;
  const now = options.now ?? Date.now;
  const send = options.send ?? httpSend;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  /** Set when this dispatcher sends for one endpoint only. */
  let only: string | null = null;
  let pumping = false;
  const running = new Set<Promise<void>>();

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

  /** Per endpoint: sends answered here and not yet recorded (see ClaimScope.answered). */
  const answered = new Map<string, number>();
  const countAnswered = (endpointId: string, by: number) => answered.set(endpointId, (answered.get(endpointId) ?? 0) + by);
  const scope = () => ({ at: now(), only, answered });

  // Attempts finishing together share one commit, as deliveries do in the receiver; the
  // slots they free are claimed again in the same transaction.
  const recordSoon = createBatchedWrite(
    (jobs: Finished[]) => {
      // Settled in this transaction before it claims: their slots are free by then.
      for (const job of jobs) countAnswered(job.endpoint.id, -1);
      return queue.recordAndClaim(jobs, stopped ? null : scope());
    },
    (written) => {
      for (const event of written.events) publish(event);
      launchAll(written.next);
      // A retry scheduled just now needs a timer when nothing else keeps the dispatcher busy.
      if (written.next.length === 0 && !stopped) void scheduleNext(now());
    },
  );

  async function attempt(endpoint: EndpointRow, message: MessageRow): Promise<void> {
    const startedAt = now();
    const req = buildRequest(endpoint, message, startedAt);
    const result = await send(req);
    countAnswered(endpoint.id, 1);
    const trigger = message.manualNext ? 'manual' : 'scheduled';
    await recordSoon({ endpoint, message, req, result, startedAt, trigger });
    summarySoon(endpoint.id);
  }

  // An endpoint's summary (stats over its attempts) is pushed at most a few times a second.
  const summaryDue = new Map<string, NodeJS.Timeout>();
  function summarySoon(endpointId: string): void {
    const summarize = options.summarize;
    if (!summarize || stopped || summaryDue.has(endpointId)) return;
    const t = setTimeout(() => {
      summaryDue.delete(endpointId);
      try {
        const summary = summarize(endpointId);
        if (summary && !stopped) publish({ type: 'endpoint', endpoint: summary });
      } catch (error) {
        // Only a summary: the next attempt pushes another.
        console.error('hookbench: could not read an endpoint summary:', (error as Error).message);
      }
    }, 250);
    t.unref();
    summaryDue.set(endpointId, t);
  }

  /** Keeps a job's promise until it ends, so settle and stop can wait for it. */
  function track(work: Promise<void>): void {
    const job = work.finally(() => running.delete(job));
    running.add(job);
  }

  function launch(endpoint: EndpointRow, message: MessageRow): void {
    track(
      attempt(endpoint, message).catch((error: unknown) => {
        // Recording failed (database closed while sending): leave it for the next start.
        console.error('hookbench: could not record an attempt:', (error as Error).message);
        kick();
      }),
    );
  }

  const launchAll = (work: Claimed[]) => work.forEach(([endpoint, message]) => launch(endpoint, message));

  async function pump(): Promise<void> {
    if (stopped || pumping) return;
    pumping = true;
    try {
      const at = now();
      const work = await queue.claimDue({ at, only, answered });
      // Sent even when this dispatcher stopped meanwhile: stop waits for them (the pump is tracked).
      launchAll(work);
      // Sends under way claim the next work when they are recorded; only an idle dispatcher needs a timer.
      if (work.length === 0) await scheduleNext(at);
    } catch (error) {
      // Left to the next poll: a failed statement must not stop sending.
      console.error('hookbench: the dispatcher could not claim work:', (error as Error).message);
    } finally {
      pumping = false;
    }
  }

  /** Takes back the claims of a sender that died mid-send; tried again at the next poll if it fails. */
  async function reclaimExpired(): Promise<void> {
    try {
      if ((await queue.reclaimExpired(now())) > 0) kick();
    } catch (error) {
      console.error('hookbench: the dispatcher could not take back expired claims:', (error as Error).message);
    }
  }

  async function scheduleNext(at: number): Promise<void> {
    const next = await queue.nextDue();
    if (timer) clearTimeout(timer);
    timer = null;
    if (next === null || stopped) return;
    // Due work held back by a full endpoint is re-pumped when one of its sends finishes.
    if (next <= at) return;
    timer = setTimeout(() => track(pump()), Math.min(next - at, 2 ** 31 - 1));
  }

  let kicked = false;
  /** Many kicks in one turn of the event loop make one pump. */
  function kick(): void {
    if (stopped || kicked) return;
    kicked = true;
    setImmediate(() => {
      kicked = false;
      track(pump());
    });
  }

  let poll: NodeJS.Timeout | null = null;

  return {
    /**
     * Starts sending what is due. `recover` says what it takes back:
     * - true (the serving process): what a crash left claimed, at once when this is a desktop
     *   data dir's only sender, else once each lease runs out; and, every second, the claims of
     *   any sender that died since;
     * - 'expired': only claims whose lease ran out, at start and every second (a process sending
     *   beside others on one store);
     * - false: nothing (a short-lived sender beside a serve, the CLI's `trigger --count`, whose
     *   in-flight claims may be the server's own); it also keeps to `endpointId` when given.
     */
    start(options: { recover?: boolean | 'expired'; endpointId?: string } = {}): Promise<void> {
      if (!stopped) return Promise.resolve();
      stopped = false;
      only = options.endpointId ?? null;
      const recover = options.recover ?? true;
      const recovery: Recovery | null = recover === true ? 'all' : recover === 'expired' ? 'expired' : null;
      // Work queued by another process (the CLI beside a running serve) is found within a second,
      // and a recovering process takes back the sends of one that died.
      poll = setInterval(() => {
        if (recovery) void reclaimExpired();
        kick();
      }, 1000);
      poll.unref();
      // A send interrupted by a crash is sent again: receivers dedupe on the message id.
      const recovered = recovery ? queue.recoverAtStart(recovery, now()) : Promise.resolve();
      return recovered.then(kick, (error: unknown) => {
        console.error('hookbench: the dispatcher could not take back interrupted sends:', (error as Error).message);
        kick();
      });
    },
    /**
     * Sends one message now, outside the schedule (the CLI's trigger and resend).
     * Returns false when another process is already sending it.
     */
    async sendNow(rowId: number): Promise<boolean> {
      const claimed = await queue.claimOne(rowId, now());
      if (!claimed) return false;
      await attempt(...claimed);
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
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
