import type { PruneReport, PruneScopeCount } from '../../../shared/retention-types';
import type { Db } from '../db/open';
import { deleteInSlices } from '../db/sliced-writes';
import { createWalSync } from '../db/wal-sync';
import { runSqliteJob } from '../storage/sqlite-worker';
import { PLAN_JOB } from './plan-job';
import { globalLimits, keepsEverything, effectiveLimits, scopeKey, sqliteRetentionPolicyStatements, type OverrideScope } from './policy-statements';
import { sqlitePruneStatements, type DeliveryBoundary, type PruneStatements } from './prune-statements';
import { freePages, vacuumState, vacuumStep } from './vacuum';

interface Plan {
  kind: 'deliveries' | 'endpoint';
  scope: OverrideScope;
  id: string;
  boundary: DeliveryBoundary | number;
  attemptBoundary?: number;
  rows: number;
  bytes: number;
  pinned: number;
  attempts: number;
}

/** Longest one slice holds the write lock. */
const SLICE_MS = 4;
/** Most rows, and body bytes, one batch removes: a large body's pages are freed one by one. */
const BATCH_ROWS = 32;
const BATCH_BYTES = 2 * 1024 ** 2;

/** The policy, and whether any part of it limits anything (else nothing needs reading). */
function policies(db: Db) {
  const stored = sqliteRetentionPolicyStatements(db).all();
  const global = globalLimits(stored);
  const overrides = Object.fromEntries(stored.filter((p) => p.scope !== 'global').map((p) => [`${p.scope}:${p.id}`, p.limits]));
  const limits = !keepsEverything(global) || Object.values(overrides).some((o) => !keepsEverything(effectiveLimits(global, o)));
  return { global, overrides, limits };
}

/** Whether any retention policy limits anything (the default keeps everything forever). */
export const retentionLimited = (db: Db) => policies(db).limits;

async function plan(db: Db, now: number, count: boolean): Promise<Plan[]> {
  const { global, overrides, limits } = policies(db);
  if (!limits) return [];
  const inboxIds = db.$client.prepare('SELECT id FROM inboxes').pluck().all();
  const { plans } = await runSqliteJob<{ plans: Plan[] }>(PLAN_JOB, { file: db.$client.name, now, global, overrides, inboxIds, count });
  return plans;
}

/** One plan carried out a batch at a time; `next` returns how many rows it looked at (0: done). */
function carryOut(statements: PruneStatements, p: Plan, tally: PruneScopeCount): () => number {
  let after: DeliveryBoundary = [Number.MIN_SAFE_INTEGER, 0];
  let afterMessage = 0;
  let afterAttempt = 0;
  let stage: 'rows' | 'attempts' = 'rows';
  const takeByBytes = <T extends { bytes: number }>(rows: T[]) => {
    let sum = 0;
    const taken: T[] = [];
    for (const r of rows) {
      if (taken.length > 0 && sum + r.bytes > BATCH_BYTES) break;
      taken.push(r);
      sum += r.bytes;
    }
    return taken;
  };
  return () => {
    if (p.kind === 'deliveries') {
      const rows = takeByBytes(statements.nextDeliveries(p.id, p.boundary as DeliveryBoundary, after, BATCH_ROWS));
      if (rows.length === 0) return 0;
      after = [rows.at(-1)!.receivedAt, rows.at(-1)!.id];
      const linked = statements.linkedDeliveries(rows.map((r) => r.id));
      const doomed = rows.filter((r) => !r.kept && !linked.has(r.id));
      tally.pinned += rows.length - doomed.length;
      tally.rows += statements.removeDeliveries(doomed.map((r) => r.id));
      tally.bytes += doomed.reduce((a, r) => a + r.bytes, 0);
      return rows.length;
    }
    if (stage === 'rows') {
      const rows = takeByBytes(statements.nextMessages(p.id, p.boundary as number, afterMessage, BATCH_ROWS));
      if (rows.length > 0) {
        afterMessage = rows.at(-1)!.id;
        tally.rows += statements.removeMessages(rows.map((r) => r.id));
        tally.bytes += rows.reduce((a, r) => a + r.bytes, 0);
        return rows.length;
      }
      stage = 'attempts';
    }
    if (!p.attemptBoundary) return 0;
    const ids = statements.nextAttempts(p.id, p.attemptBoundary, afterAttempt, BATCH_ROWS * 4);
    if (ids.length === 0) return 0;
    afterAttempt = ids.at(-1)!;
    tally.attempts += statements.removeAttempts(ids);
    return ids.length;
  };
}

export interface PruneOptions {
  now?: number;
  /** Awaited before each slice: the serving process waits for its receiver to be idle. */
  pace?: () => Promise<void>;
  /** Stop between slices (the engine is closing). */
  stopped?: () => boolean;
  /**
   * The receiver's own WAL flush: a slice then waits for the flush the receiver's next batch
   * waits for too, so one flush carries both, rather than a second one queued beside it.
   */
  afterCommit?: (done: (error: Error | null) => void) => void;
}

function report(dryRun: boolean, scopes: PruneScopeCount[], freedBytes: number, db: Db, at: number): PruneReport {
  const kept = scopes.filter((s) => s.rows || s.attempts || s.pinned);
  const sum = (k: 'rows' | 'bytes' | 'attempts' | 'pinned') => kept.reduce((a, s) => a + s[k], 0);
  return { dryRun, scopes: kept, total: { rows: sum('rows'), bytes: sum('bytes'), attempts: sum('attempts'), pinned: sum('pinned') }, freedBytes, vacuum: vacuumState(db.$client), at };
}

/**
 * What the retention policy removes now, and (unless dryRun) removes it in slices of a few
 * milliseconds each, then gives the freed pages back to the volume the same way.
 */
export async function prune(db: Db, dryRun: boolean, options: PruneOptions = {}): Promise<PruneReport> {
  const now = options.now ?? Date.now();
  const plans = await plan(db, now, dryRun);
  const names = sqliteRetentionPolicyStatements(db).names();
  const tallies = plans.map((p): PruneScopeCount => ({ scope: p.scope, id: p.id, name: names.get(scopeKey(p.scope, p.id)) ?? null, rows: p.rows, bytes: p.bytes, attempts: p.attempts, pinned: p.pinned }));
  if (dryRun) return report(true, tallies, 0, db, now);
  for (const t of tallies) Object.assign(t, { rows: 0, bytes: 0, attempts: 0, pinned: 0 });
  const statements = sqlitePruneStatements(db);
  const steps = plans.map((p, i) => carryOut(statements, p, tallies[i]!));
  let freedPages = 0;
  const incremental = vacuumState(db.$client) === 'incremental';
  // Deletes first, then the vacuum: one chunk is one transaction of at most SLICE_MS.
  const chunk = (): number => {
    if (options.stopped?.()) return 0;
    const started = performance.now();
    let done = 0;
    while (performance.now() - started < SLICE_MS) {
      const step = steps[0];
      if (step) {
        const n = step();
        if (n === 0) steps.shift();
        done += n;
        continue;
      }
      if (!incremental) break;
      const n = vacuumStep(db.$client);
      if (n === 0) break;
      freedPages += n;
      done += n;
    }
    // Work left over (a step finished just as the slice ran out) still asks for another slice.
    return steps.length > 0 ? Math.max(done, 1) : done;
  };
  if (plans.length > 0 || (incremental && freePages(db.$client) > 0)) {
    // Each slice's pages are flushed before the next slice: the receiver's own flush (which
    // every acknowledgement waits for) then never has megabytes of pruning to write first.
    // The flush runs while the pace waits for the receiver, not before it: one wait, not two.
    const walSync = createWalSync(db.$client);
    const afterCommit = options.afterCommit ?? walSync.afterCommit;
    const flushed = () => new Promise<void>((resolve) => afterCommit(() => resolve()));
    try {
      await deleteInSlices(db, chunk, async () => {
        await Promise.all([flushed(), options.pace?.()]);
      });
    } finally {
      await walSync.close();
    }
  }
  const pageSize = db.$client.pragma('page_size', { simple: true }) as number;
  return report(false, tallies, freedPages * pageSize, db, Date.now());
}
