import type { Pool } from 'pg';
import type { RetentionLimits, RetentionOverride } from '../../../shared/retention-types';
import { effectiveLimits } from './policy-statements';
import type { Plan } from './prune-batches';
import type { DeliveryBoundary } from './prune-statements';
import { DELIVERY_PINNED, MESSAGE_PINNED } from './pg-prune-statements';

/*
 * The PostgreSQL form of the prune plan (plan-job.ts is SQLite's, with the same boundaries):
 * rows at or before a delivery boundary [receivedAt, id] (oldest first by received time) are
 * past the policy; an endpoint's boundary is a message id, and for attempt logs an attempt id.
 * The size limit is a running sum in the database rather than a walk over every row here.
 */

const DAY_MS = 86_400_000;
const MAX = Number.MAX_SAFE_INTEGER;

const later = (a: DeliveryBoundary | null, b: DeliveryBoundary): DeliveryBoundary => (!a ? b : a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]) ? a : b);

const KEY = 'coalesce(d.package_id, d.hook_id)';
const PAST = `${KEY} = $1 AND d.received_at <= $2 AND (d.received_at < $2 OR d.id <= $3)`;
const FINISHED = `m.state IN ('succeeded', 'failed')`;

interface Policies {
  global: RetentionLimits;
  overrides: Record<string, RetentionOverride>;
}

export async function pgPrunePlan(pool: Pool, now: number, { global, overrides }: Policies, count: boolean): Promise<Plan[]> {
  const one = async <T>(text: string, values: unknown[]): Promise<T | undefined> => (await pool.query<T & object>(text, values)).rows[0];
  const limitsOf = (key: string) => effectiveLimits(global, overrides[key]);
  const plans: Plan[] = [];

  const inboxes = new Set((await pool.query<{ id: string }>('SELECT id FROM inboxes')).rows.map((r) => r.id));
  const keys = (await pool.query<{ key: string }>(`SELECT key FROM (SELECT DISTINCT ${KEY} AS key FROM deliveries d) k ORDER BY key COLLATE "C"`)).rows.map((r) => r.key);
  for (const key of keys) {
    const scope = inboxes.has(key) ? 'inbox' : 'package';
    const l = limitsOf(`${scope}:${key}`);
    let boundary: DeliveryBoundary | null = null;
    if (l.days !== null) boundary = later(boundary, [now - l.days * DAY_MS - 1, MAX]);
    if (l.maxDeliveries !== null) {
      const row = await one<{ r: number; id: number }>(`SELECT d.received_at AS r, d.id FROM deliveries d WHERE ${KEY} = $1 ORDER BY d.received_at DESC, d.id DESC LIMIT 1 OFFSET $2`, [
        key,
        l.maxDeliveries,
      ]);
      if (row) boundary = later(boundary, [row.r, row.id]);
    }
    if (l.maxBytes !== null) {
      const row = await one<{ r: number; id: number }>(
        `SELECT r, id FROM (SELECT d.received_at AS r, d.id, sum(octet_length(d.body)) OVER (ORDER BY d.received_at DESC, d.id DESC ROWS UNBOUNDED PRECEDING) AS total
           FROM deliveries d WHERE ${KEY} = $1) s WHERE total > $2 ORDER BY r DESC, id DESC LIMIT 1`,
        [key, l.maxBytes],
      );
      if (row) boundary = later(boundary, [row.r, row.id]);
    }
    if (!boundary) continue;
    const plan: Plan = { kind: 'deliveries', scope, id: key, boundary, rows: 0, bytes: 0, pinned: 0, attempts: 0 };
    if (count) {
      const t = await one<{ n: number; bytes: number; pinned: number }>(
        `SELECT count(*) AS n, coalesce(sum(CASE WHEN p THEN 0 ELSE b END), 0)::int8 AS bytes, count(*) FILTER (WHERE p) AS pinned
           FROM (SELECT octet_length(d.body) AS b, ${DELIVERY_PINNED} AS p FROM deliveries d WHERE ${PAST} AND d.outcome <> 'pending') s`,
        [key, boundary[0], boundary[1]],
      );
      Object.assign(plan, { rows: t!.n - t!.pinned, bytes: t!.bytes, pinned: t!.pinned });
    }
    plans.push(plan);
  }

  for (const { id: endpointId } of (await pool.query<{ id: string }>('SELECT id FROM endpoints ORDER BY id COLLATE "C"')).rows) {
    const l = limitsOf(`endpoint:${endpointId}`);
    let boundary = 0;
    let attemptBoundary = 0;
    if (l.days !== null) {
      const cutoff = now - l.days * DAY_MS;
      const message = await one<{ id: number | null }>('SELECT min(id) AS id FROM messages WHERE endpoint_id = $1 AND created_at >= $2', [endpointId, cutoff]);
      boundary = Math.max(boundary, (message?.id ?? MAX) - 1);
      const attempt = await one<{ id: number | null }>('SELECT min(id) AS id FROM attempts WHERE endpoint_id = $1 AND started_at >= $2', [endpointId, cutoff]);
      attemptBoundary = (attempt?.id ?? MAX) - 1;
    }
    if (l.maxDeliveries !== null) {
      const row = await one<{ id: number }>('SELECT id FROM messages WHERE endpoint_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2', [endpointId, l.maxDeliveries]);
      boundary = Math.max(boundary, row?.id ?? 0);
    }
    if (l.maxBytes !== null) {
      const row = await one<{ id: number }>(
        `SELECT id FROM (SELECT id, sum(octet_length(body)) OVER (ORDER BY id DESC ROWS UNBOUNDED PRECEDING) AS total FROM messages WHERE endpoint_id = $1) s
          WHERE total > $2 ORDER BY id DESC LIMIT 1`,
        [endpointId, l.maxBytes],
      );
      boundary = Math.max(boundary, row?.id ?? 0);
    }
    if (!boundary && !attemptBoundary) continue;
    const plan: Plan = { kind: 'endpoint', scope: 'endpoint', id: endpointId, boundary, attemptBoundary, rows: 0, bytes: 0, pinned: 0, attempts: 0 };
    if (count) {
      const t = await one<{ n: number; bytes: number; pinned: number }>(
        `SELECT count(*) AS n, coalesce(sum(CASE WHEN p THEN 0 ELSE b END), 0)::int8 AS bytes, count(*) FILTER (WHERE p) AS pinned
           FROM (SELECT octet_length(m.body) AS b, ${MESSAGE_PINNED} AS p FROM messages m WHERE m.endpoint_id = $1 AND m.id <= $2 AND ${FINISHED}) s`,
        [endpointId, boundary],
      );
      // Attempt logs past the age limit, besides those that go with their (unpinned, finished) message.
      const attempts = attemptBoundary
        ? await one<{ n: number }>(
            `SELECT count(*) AS n FROM attempts a WHERE a.endpoint_id = $1 AND a.id <= $2
               AND NOT EXISTS (SELECT 1 FROM fixtures f WHERE f.origin = 'attempt:' || a.id)
               AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = a.message_row_id AND m.id <= $3 AND ${FINISHED} AND NOT ${MESSAGE_PINNED})`,
            [endpointId, attemptBoundary, boundary],
          )
        : undefined;
      Object.assign(plan, { rows: t!.n - t!.pinned, bytes: t!.bytes, pinned: t!.pinned, attempts: attempts?.n ?? 0 });
    }
    plans.push(plan);
  }
  return plans;
}
