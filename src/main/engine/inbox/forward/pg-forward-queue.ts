import type { Pool } from 'pg';
import type { ForwardQueue } from './forward-queue';
import { pgForwardSql as sql } from './pg-forward-statements';
import type { CapturedRequest, ForwardRow, ForwardTargetRow } from './statements';

/**
 * The forward queue on a team server's PostgreSQL database, shared by every instance: claims
 * skip rows another instance holds (FOR UPDATE SKIP LOCKED) and carry a lease (claimed_until),
 * so an instance that dies mid-send leaves claims any other takes back once the lease runs out.
 * Each statement commits on its own: a claim or a record can be redone from what is durable.
 */
export function pgForwardQueue(pool: Pool, now: () => number): ForwardQueue {
  const rows = async <T>(query: { name: string; text: string }, values: unknown[]) => (await pool.query<T & object>({ ...query, values })).rows as T[];
  const one = async <T>(query: { name: string; text: string }, values: unknown[]) => (await rows<T>(query, values))[0];
  return {
    nextDue: async () => (await one<{ at: number | null }>(sql.nextDue, []))?.at ?? null,
    async claimDue(at, until, free) {
      const claimed: ForwardRow[] = [];
      for (const { url } of await rows<{ url: string }>(sql.dueTargets, [at])) {
        const slots = free(url);
        if (slots > 0) claimed.push(...(await rows<ForwardRow>(sql.claimDue, [url, at, until, slots])));
      }
      return claimed;
    },
    claimOne: (id, at, until) => one<ForwardRow>(sql.claimOne, [id, at, until]),
    reclaimExpired: async (at) => (await pool.query({ ...sql.reclaimExpired, values: [at] })).rowCount ?? 0,
    async release(ids) {
      if (ids.length > 0) await pool.query({ ...sql.release, values: [ids] });
    },
    target: (inboxId, url) => one<ForwardTargetRow>(sql.target, [inboxId, url]),
    captured: (deliveryId) => one<CapturedRequest>(sql.captured, [deliveryId]),
    passBackRow: async (deliveryId) => (await one<{ id: number }>(sql.passBackRow, [deliveryId]))?.id,
    byId: (id) => one<ForwardRow>(sql.byId, [id]),
    answeredWith: async (deliveryId, status) => void (await pool.query({ ...sql.answeredWith, values: [deliveryId, status] })),
    async record(job, decide) {
      const { row } = job;
      const target = await one<ForwardTargetRow>(sql.target, [row.inboxId, row.targetUrl]);
      const settled = decide(job, target, now());
      const recorded = await one<ForwardRow>(sql.settle, [row.id, row.claimedUntil, ...sql.settledKeys.map((key) => settled[key])]);
      // Not recorded (the claim was taken back meanwhile): the row as whoever holds it now left it.
      return recorded ?? one<ForwardRow>(sql.byId, [row.id]);
    },
  };
}
