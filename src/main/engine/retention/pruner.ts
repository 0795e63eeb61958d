import type { PushEvent } from '../../../shared/contract';
import type { PruneReport } from '../../../shared/retention-types';
import { size } from '../../../shared/size';
import type { Db } from '../db/open';
import { recordActivity } from '../store/activity';
import { prune, type PruneOptions } from './prune';

/** How often the serving process applies the retention policy. */
export const PRUNE_EVERY_MS = 10 * 60_000;
/** The first run after start (or after the policy changed) waits this long. */
export const FIRST_RUN_MS = 5_000;
/**
 * While the receiver is answering, a slice waits for it to be idle, but the pruner still takes
 * one slice (of a few milliseconds) per TURN_MS: a bounded share of each second, so a receiver
 * that is never idle neither stops pruning nor waits on it for more than one slice at a time.
 * The slice's own pause and WAL flush count toward the turn, not on top of it.
 */
const TURN_MS = 20;

/** Waits for a turn of the event loop, then while the receiver is answering, until the pruner's next turn is due. */
export function yieldTo(busy: () => boolean): () => Promise<void> {
  let lastTurn = Number.NEGATIVE_INFINITY;
  return async () => {
    await new Promise((resolve) => setImmediate(resolve));
    while (busy() && performance.now() - lastTurn < TURN_MS) await new Promise((resolve) => setTimeout(resolve, 1));
    lastTurn = performance.now();
  };
}

export function describePrune(r: PruneReport): string {
  const parts = [`${r.total.rows} deliveries and messages (${size(r.total.bytes)} of bodies)`];
  if (r.total.attempts) parts.push(`${r.total.attempts} attempt logs`);
  const freed = r.freedBytes ? `; ${size(r.freedBytes)} given back to the volume` : '';
  const pinned = r.total.pinned ? ` ${r.total.pinned} past the policy were kept (marked keep, saved as a fixture or linked to a release).` : '';
  return `Retention removed ${parts.join(' and ')}${freed}.${pinned}`;
}

/** Pages freed by everyday churn are given back too, without a word unless it is worth one (either store). */
export const worthSaying = (report: PruneReport) => Boolean(report.total.rows || report.total.attempts || report.freedBytes >= 1024 ** 2);

/** Prunes and, when anything went, says so in the activity feed. */
export async function pruneAndRecord(db: Db, publish: (event: PushEvent) => void, options: PruneOptions = {}): Promise<PruneReport> {
  const report = await prune(db, false, options);
  if (worthSaying(report)) {
    publish({ type: 'activity', entry: recordActivity(db, { kind: 'pruned', message: describePrune(report) }) });
    publish({ type: 'packages' });
  }
  return report;
}

/** The serving process's background pruning: soon after start, every few minutes, and soon after the policy changes. */
export function createPruner(db: Db, publish: (event: PushEvent) => void, busy: () => boolean, afterCommit?: PruneOptions['afterCommit']) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  let started = false;
  let last: PruneReport | null = null;

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  }

  function run(): void {
    timer = null;
    if (running) return schedule(FIRST_RUN_MS);
    running = pruneAndRecord(db, publish, { pace: yieldTo(busy), stopped: () => stopped, ...(afterCommit ? { afterCommit } : {}) })
      .then((report) => (last = report))
      .catch((error: unknown) => console.error('hookbench: pruning failed, will try again:', (error as Error).message))
      .finally(() => {
        running = null;
        schedule(PRUNE_EVERY_MS);
      });
  }

  return {
    start(): void {
      started = true;
      schedule(FIRST_RUN_MS);
    },
    /** The policy changed: apply it shortly, if this process prunes in the background (a command run once does not). */
    soon(): void {
      if (started) schedule(FIRST_RUN_MS);
    },
    last: () => last,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type Pruner = ReturnType<typeof createPruner>;
