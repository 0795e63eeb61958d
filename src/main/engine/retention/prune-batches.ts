import type { PruneReport, PruneScopeCount, VacuumState } from '../../../shared/retention-types';
import { askOp, type Steps } from '../store/steps';
import type { OverrideScope } from './policy-statements';
import type { DeliveryBoundary, PruneStatements } from './prune-statements';

/** Where one package's, inbox's or endpoint's limits fall, and (for a dry run) what lies past them. */
export interface Plan {
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

/** Most rows, and body bytes, one batch removes: a large body's pages are freed one by one. */
export const BATCH_ROWS = 32;
export const BATCH_BYTES = 2 * 1024 ** 2;

const ask = <K extends keyof PruneStatements>(name: K, ...args: Parameters<PruneStatements[K]>) => askOp<PruneStatements, K>(name, ...args);

function takeByBytes<T extends { bytes: number }>(rows: T[]): T[] {
  let sum = 0;
  const taken: T[] = [];
  for (const r of rows) {
    if (taken.length > 0 && sum + r.bytes > BATCH_BYTES) break;
    taken.push(r);
    sum += r.bytes;
  }
  return taken;
}

/**
 * One plan carried out a batch at a time, written once for both stores: each call gives the
 * next batch's steps (run at once inside a SQLite transaction, or awaited against PostgreSQL),
 * which return how many rows the batch looked at (0: done).
 */
export function pruneBatches(p: Plan, tally: PruneScopeCount): () => Steps<PruneStatements, number> {
  let after: DeliveryBoundary = [Number.MIN_SAFE_INTEGER, 0];
  let afterMessage = 0;
  let afterAttempt = 0;
  let stage: 'rows' | 'attempts' = 'rows';
  return function* batch() {
    if (p.kind === 'deliveries') {
      const rows = takeByBytes(yield* ask('nextDeliveries', p.id, p.boundary as DeliveryBoundary, after, BATCH_ROWS));
      if (rows.length === 0) return 0;
      after = [rows.at(-1)!.receivedAt, rows.at(-1)!.id];
      const linked = yield* ask(
        'linkedDeliveries',
        rows.map((r) => r.id),
      );
      const doomed = rows.filter((r) => !r.kept && !linked.has(r.id));
      tally.pinned += rows.length - doomed.length;
      tally.rows += yield* ask(
        'removeDeliveries',
        doomed.map((r) => r.id),
      );
      tally.bytes += doomed.reduce((a, r) => a + r.bytes, 0);
      return rows.length;
    }
    if (stage === 'rows') {
      const rows = takeByBytes(yield* ask('nextMessages', p.id, p.boundary as number, afterMessage, BATCH_ROWS));
      if (rows.length > 0) {
        afterMessage = rows.at(-1)!.id;
        // Counted as kept, as the plan counts them: a dry run and the run itself report alike.
        const doomed = rows.filter((r) => !r.kept);
        tally.pinned += rows.length - doomed.length;
        tally.rows += yield* ask(
          'removeMessages',
          doomed.map((r) => r.id),
        );
        tally.bytes += doomed.reduce((a, r) => a + r.bytes, 0);
        return rows.length;
      }
      stage = 'attempts';
    }
    if (!p.attemptBoundary) return 0;
    const ids = yield* ask('nextAttempts', p.id, p.attemptBoundary, afterAttempt, BATCH_ROWS * 4);
    if (ids.length === 0) return 0;
    afterAttempt = ids.at(-1)!;
    tally.attempts += yield* ask('removeAttempts', ids);
    return ids.length;
  };
}

/** Each plan's count, named (on a dry run, what the plan found; else zero, counted as rows go). */
export function scopeTallies(plans: Plan[], names: Map<string, string>, dryRun: boolean): PruneScopeCount[] {
  return plans.map((p): PruneScopeCount => {
    const name = names.get(`${p.scope}:${p.id}`) ?? null;
    return dryRun
      ? { scope: p.scope, id: p.id, name, rows: p.rows, bytes: p.bytes, attempts: p.attempts, pinned: p.pinned }
      : { scope: p.scope, id: p.id, name, rows: 0, bytes: 0, attempts: 0, pinned: 0 };
  });
}

export function pruneReport(dryRun: boolean, scopes: PruneScopeCount[], freedBytes: number, vacuum: VacuumState, at: number): PruneReport {
  const kept = scopes.filter((s) => s.rows || s.attempts || s.pinned);
  const sum = (k: 'rows' | 'bytes' | 'attempts' | 'pinned') => kept.reduce((a, s) => a + s[k], 0);
  return { dryRun, scopes: kept, total: { rows: sum('rows'), bytes: sum('bytes'), attempts: sum('attempts'), pinned: sum('pinned') }, freedBytes, vacuum, at };
}
