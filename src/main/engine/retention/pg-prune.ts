import type { Pool } from 'pg';
import type { PushEvent } from '../../../shared/contract';
import type { PruneReport, VacuumState } from '../../../shared/retention-types';
import { pgRecordActivity } from '../store/pg-activity-statements';
import { runOpsAsync } from '../store/steps';
import { pgRetentionPolicyStatements } from './pg-policy-statements';
import { pgPrunePlan } from './pg-prune-plan';
import { pgPruneStatements } from './pg-prune-statements';
import { policiesInForce } from './policy-statements';
import { pruneBatches, pruneReport, scopeTallies } from './prune-batches';
import { describePrune, worthSaying } from './pruner';

/**
 * How freed space goes back on PostgreSQL: autovacuum marks the space of pruned rows reusable
 * for new ones, and nothing more is done here. No VACUUM (FULL) is ever run: it locks the
 * tables every instance writes to, and giving a server's disk back is the database
 * administrator's call. Reported as 'server'.
 */
export const PG_VACUUM: VacuumState = 'server';

export interface PgPruneOptions {
  now?: number;
  /** Stop between batches (the instance is closing, or lost the pruner role). */
  stopped?: () => boolean;
}

/** What the retention policy removes now, and (unless dryRun) removes it a batch per statement. */
export async function pgPrune(pool: Pool, dryRun: boolean, options: PgPruneOptions = {}): Promise<PruneReport> {
  const now = options.now ?? Date.now();
  const policies = pgRetentionPolicyStatements(pool);
  const inForce = policiesInForce(await policies.all());
  const plans = inForce.limits ? await pgPrunePlan(pool, now, inForce, dryRun) : [];
  const tallies = scopeTallies(plans, plans.length > 0 ? await policies.names() : new Map(), dryRun);
  if (dryRun) return pruneReport(true, tallies, 0, PG_VACUUM, now);
  const statements = pgPruneStatements(pool);
  for (const [i, plan] of plans.entries()) {
    const batch = pruneBatches(plan, tallies[i]!);
    // Each batch is a few short statements: the receiver's inserts never wait on them.
    while (!options.stopped?.() && (await runOpsAsync(batch(), statements)) > 0);
  }
  return pruneReport(false, tallies, 0, PG_VACUUM, Date.now());
}

/** Prunes and, when anything went, says so in the activity feed. */
export async function pgPruneAndRecord(pool: Pool, publish: (event: PushEvent) => void, options: PgPruneOptions = {}): Promise<PruneReport> {
  const report = await pgPrune(pool, false, options);
  if (worthSaying(report)) {
    publish({ type: 'activity', entry: await pgRecordActivity(pool, { kind: 'pruned', message: describePrune(report) }) });
    publish({ type: 'packages' });
  }
  return report;
}
