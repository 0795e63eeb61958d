import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { EndpointSeriesPoint, EndpointStats } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { attempts, messages } from '../db/schema';

/** What an endpoint's stats are made of, as either store reads it. */
export interface StatsInputs {
  /** Every attempt, and how many succeeded. */
  total: number;
  ok: number;
  /** The last 1,000 attempts, newest first. */
  recent: { ms: number | null; status: number | null; at: number }[];
  failed: number;
  /** Pending or being sent. */
  pending: number;
}

/** One attempt as the chart counts it. */
export interface SeriesRow {
  at: number;
  ok: boolean;
  ms: number | null;
}

/** How many of an endpoint's recent attempts its stats read. */
export const RECENT_ATTEMPTS = 1000;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function statsFrom({ total, ok, recent, failed, pending }: StatsInputs): EndpointStats {
  const durations = recent.map((r) => r.ms ?? 0).sort((a, b) => a - b);
  return {
    attempts: total,
    succeeded: ok,
    successRate: total ? ok / total : null,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    lastStatus: recent[0]?.status ?? null,
    lastAttemptAt: recent[0]?.at ?? null,
    failedMessages: failed,
    pendingMessages: pending,
  };
}

export function readStatsInputs(db: Queryable, endpointId: string): StatsInputs {
  const totals = db
    .select({ total: sql<number>`count(*)`, ok: sql<number>`coalesce(sum(${attempts.succeeded}), 0)` })
    .from(attempts)
    .where(eq(attempts.endpointId, endpointId))
    .get();
  const recent = db
    .select({ ms: attempts.durationMs, status: attempts.status, at: attempts.startedAt })
    .from(attempts)
    .where(eq(attempts.endpointId, endpointId))
    .orderBy(desc(attempts.id))
    .limit(RECENT_ATTEMPTS)
    .all();
  const queue = db
    .select({
      failed: sql<number>`coalesce(sum(${messages.state} = 'failed'), 0)`,
      pending: sql<number>`coalesce(sum(${messages.state} in ('pending', 'sending')), 0)`,
    })
    .from(messages)
    .where(eq(messages.endpointId, endpointId))
    .get();
  return { total: totals?.total ?? 0, ok: totals?.ok ?? 0, recent, failed: queue?.failed ?? 0, pending: queue?.pending ?? 0 };
}

export const endpointStats = (db: Queryable, endpointId: string): EndpointStats => statsFrom(readStatsInputs(db, endpointId));

/** Success and latency per time bucket, for the endpoint's chart, from its attempts since `since` in start order. */
export function seriesFrom(rows: SeriesRow[], since: number, bucketMs: number): EndpointSeriesPoint[] {
  const buckets = new Map<number, { ok: number; durations: number[] }>();
  for (const r of rows) {
    const t = since + Math.floor((r.at - since) / bucketMs) * bucketMs;
    const b = buckets.get(t) ?? { ok: 0, durations: [] };
    if (r.ok) b.ok++;
    b.durations.push(r.ms ?? 0);
    buckets.set(t, b);
  }
  return [...buckets.entries()].map(([t, b]) => {
    const sorted = b.durations.sort((x, y) => x - y);
    return { t, attempts: sorted.length, succeeded: b.ok, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
  });
}

export function readSeriesRows(db: Queryable, endpointId: string, since: number): SeriesRow[] {
  return db
    .select({ at: attempts.startedAt, ok: attempts.succeeded, ms: attempts.durationMs })
    .from(attempts)
    .where(and(eq(attempts.endpointId, endpointId), gte(attempts.startedAt, since)))
    .orderBy(attempts.startedAt)
    .all();
}
