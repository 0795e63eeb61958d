import type { Pool, PoolClient } from 'pg';
import type { PushEvent } from '../../../shared/contract';
import type { ActivityEntry } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import type { SecretBox } from '../secrets/secret-box';
import { toActivity } from '../store/rows';
import { freeSlots, leaseEnd, type Claimed, type ClaimScope, type DispatchQueue, type Finished } from './dispatch-queue';
import type { EndpointRow } from './endpoints';
import { toAttemptView, toMessageView, type MessageRow } from './messages';
import { pgDispatchSql as sql } from './pg-dispatch-statements';
import { settle, type Settlement } from './settlement';

type ActivityRow = Parameters<typeof toActivity>[0];

/** Claims what is due for every endpoint's free slots, inside the caller's transaction. */
async function claimWork(client: PoolClient, scope: ClaimScope): Promise<Claimed[]> {
  const { at, only } = scope;
  const active = (await client.query<EndpointRow>({ ...sql.activeEndpoints, values: [only] })).rows;
  if (active.length === 0) return [];
  await client.query({ ...sql.lockEndpoints, values: [active.map((endpoint) => endpoint.id)] });
  const work: Claimed[] = [];
  for (const endpoint of active) {
    const claimed = (await client.query<MessageRow>({ ...sql.claimDue, values: [endpoint.id, at, leaseEnd(endpoint, at), freeSlots(endpoint.maxInFlight, 0, scope, endpoint.id)] })).rows;
    // RETURNING gives no order: send the oldest due first.
    claimed.sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.id - b.id);
    for (const message of claimed) work.push([endpoint, message]);
  }
  return work;
}

/** Per endpoint in a batch: whether a success reset its run of failures, and the failures after the last success. */
function failureRuns(batch: { finished: Finished; s: Settlement }[]): Map<string, { reset: boolean; add: number }> {
  const runs = new Map<string, { reset: boolean; add: number }>();
  for (const { finished, s } of batch) {
    const run = runs.get(finished.endpoint.id) ?? { reset: false, add: 0 };
    runs.set(finished.endpoint.id, s.ok ? { reset: true, add: 0 } : { reset: run.reset, add: run.add + 1 });
  }
  return runs;
}

/** Writes a batch of finished attempts inside the caller's transaction; returns the events to publish after it commits. */
async function recordAttempts(client: PoolClient, box: SecretBox, finished: Finished[], finishedAt: number, delayScale: number): Promise<PushEvent[]> {
  if (finished.length === 0) return [];
  const batch = finished.map((f) => ({ finished: f, s: settle(box, f, finishedAt, delayScale) }));
  const column = <T>(pick: (entry: (typeof batch)[number]) => T) => batch.map(pick);
  const settled = await client.query<{ id: number }>({
    ...sql.settle,
    values: [
      column((b) => b.finished.message.id),
      column((b) => b.finished.message.claimedUntil),
      column((b) => b.s.message.state),
      column((b) => b.s.message.attemptCount),
      column((b) => b.s.message.nextAttemptAt),
      column((b) => b.s.message.lastStatus),
      column((b) => b.s.message.lastError),
      column((b) => b.s.message.updatedAt),
    ],
  });
  // Removed while its send was out, or its claim ran out and was taken back: nothing to record.
  const kept = new Set(settled.rows.map((r) => r.id));
  const recorded = batch.filter((b) => kept.has(b.finished.message.id));
  if (recorded.length === 0) return [];
  const at = (pick: (v: Settlement['attempt']) => unknown) => recorded.map((b) => pick(b.s.attempt));
  const inserted = await client.query<{ id: number; messageRowId: number }>({
    ...sql.insertAttempts,
    values: [
      at((v) => v.messageRowId),
      at((v) => v.endpointId),
      at((v) => v.attemptNo),
      at((v) => v.trigger),
      at((v) => v.startedAt),
      at((v) => v.url),
      at((v) => v.requestHeaders),
      at((v) => v.status),
      at((v) => v.responseHeaders),
      at((v) => v.responseBody),
      at((v) => v.responseTruncated),
      at((v) => v.durationMs),
      at((v) => v.error),
      at((v) => v.succeeded),
    ],
  });
  const attemptIds = new Map(inserted.rows.map((r) => [r.messageRowId, r.id]));
  const events: PushEvent[] = [];
  for (const b of recorded) {
    const { endpoint } = b.finished;
    if (b.s.disable === null) continue;
    if ((await client.query({ ...sql.disable, values: [b.s.disable, finishedAt, endpoint.id] })).rowCount === 0) continue;
    const message = `Endpoint ${endpoint.name} disabled automatically: ${b.s.disable}`;
    const row = (await client.query<ActivityRow>({ ...sql.insertActivity, values: [finishedAt, 'endpoint_auto_disabled', message] })).rows[0]!;
    events.push({ type: 'activity', entry: toActivity(row) satisfies ActivityEntry });
  }
  for (const [endpointId, run] of failureRuns(recorded)) await client.query({ ...sql.countFailures, values: [endpointId, run.reset, run.add] });
  for (const { finished, s } of recorded) {
    const { message } = finished;
    events.push({ type: 'attempt', attempt: toAttemptView({ id: attemptIds.get(message.id)!, ...s.attempt }, message.messageId, message.event) });
    events.push({ type: 'message', message: toMessageView({ ...message, ...s.message }) });
  }
  return events;
}

/**
 * The dispatcher's queue on a team server's PostgreSQL database, shared by every instance.
 * Claims skip rows another transaction holds (FOR UPDATE SKIP LOCKED) and carry a lease
 * (claimed_until): an instance that dies mid-send leaves claims that any other instance takes
 * back once the lease runs out, and the schedule resumes from there. An endpoint's max in
 * flight holds across instances: claims for it are made under a transaction-level advisory
 * lock per endpoint, counting its live claims. An attempt's record, its message's settle and
 * the claims its slot frees are one transaction.
 */
export function pgDispatchQueue(pool: Pool, box: SecretBox, options: { now: () => number; delayScale?: number }): DispatchQueue {
  const { now } = options;
  const delayScale = options.delayScale ?? 1;
  const relaxed = { relaxed: true };
  return {
    claimDue: (scope) => inTransaction(pool, (client) => claimWork(client, scope), relaxed),
    async claimOne(rowId, at) {
      const endpoint = (await pool.query<EndpointRow>({ ...sql.endpointOfMessage, values: [rowId] })).rows[0];
      if (!endpoint) return undefined;
      const message = (await pool.query<MessageRow>({ ...sql.claimOne, values: [rowId, at, leaseEnd(endpoint, at)] })).rows[0];
      return message ? [endpoint, message] : undefined;
    },
    recordAndClaim: (finished, scope) =>
      inTransaction(
        pool,
        async (client) => {
          const events = await recordAttempts(client, box, finished, now(), delayScale);
          return { events, next: scope ? await claimWork(client, scope) : [] };
        },
        relaxed,
      ),
    reclaimExpired: async (at) => (await pool.query({ ...sql.reclaimExpired, values: [at] })).rowCount ?? 0,
    // Other instances may be sending right now: only claims whose lease ran out are theirs no more.
    recoverAtStart: async (_recovery, at) => void (await pool.query({ ...sql.reclaimExpired, values: [at] })),
    nextDue: async () => (await pool.query<{ at: number | null }>(sql.nextDue)).rows[0]?.at ?? null,
  };
}
