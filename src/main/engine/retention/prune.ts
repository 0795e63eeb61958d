import type { PruneReport, PruneScopeCount } from '../../../shared/retention-types';
import type { Db } from '../db/open';
import { deleteInSlices } from '../db/sliced-writes';
import { createWalSync } from '../db/wal-sync';
import { runSqliteJob } from '../storage/sqlite-worker';
import { PLAN_JOB } from './plan-job';
import { policiesInForce, sqliteRetentionPolicyStatements } from './policy-statements';
import { pruneBatches, pruneReport, scopeTallies, type Plan } from './prune-batches';
import { runOps } from '../store/steps';
import { sqlitePruneStatements, type PruneStatements } from './prune-statements';
import { freePages, vacuumState, vacuumStep } from './vacuum';

/** Longest one slice holds the write lock. */
const SLICE_MS = 4;

/** The policy, and whether any part of it limits anything (else nothing needs reading). */
const policies = (db: Db) => policiesInForce(sqliteRetentionPolicyStatements(db).all());

/** Whether any retention policy limits anything (the default keeps everything forever). */
export const retentionLimited = (db: Db) => policies(db).limits;

async function plan(db: Db, now: number, count: boolean): Promise<Plan[]> {
  const { global, overrides, limits } = policies(db);
  if (!limits) return [];
  const inboxIds = db.$client.prepare('SELECT id FROM inboxes').pluck().all();
  const { plans } = await runSqliteJob<{ plans: Plan[] }>(PLAN_JOB, { file: db.$client.name, now, global, overrides, inboxIds, count });
  return plans;
}

/** One plan carried out a batch at a time, at once inside the slice's transaction; `next` returns how many rows it looked at (0: done). */
function carryOut(statements: PruneStatements, p: Plan, tally: PruneScopeCount): () => number {
  const batch = pruneBatches(p, tally);
  return () => runOps(batch(), statements);
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
  return pruneReport(dryRun, scopes, freedBytes, vacuumState(db.$client), at);
}

/**
 * What the retention policy removes now, and (unless dryRun) removes it in slices of a few
 * milliseconds each, then gives the freed pages back to the volume the same way.
 */
export async function prune(db: Db, dryRun: boolean, options: PruneOptions = {}): Promise<PruneReport> {
  const now = options.now ?? Date.now();
  const plans = await plan(db, now, dryRun);
  const names = sqliteRetentionPolicyStatements(db).names();
  const tallies = scopeTallies(plans, names, dryRun);
  if (dryRun) return report(true, tallies, 0, db, now);
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
