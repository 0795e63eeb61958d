import type { Pool } from 'pg';
import type { PushEvent } from '../../../shared/contract';
import type { PruneReport } from '../../../shared/retention-types';
import type { RoleHandle, RoleLock } from '../team/role-lock';
import { pgPruneAndRecord } from './pg-prune';
import { FIRST_RUN_MS, PRUNE_EVERY_MS } from './pruner';

export interface PgPrunerOptions {
  pool: Pool;
  publish: (event: PushEvent) => void;
  /** Who prunes: the one instance holding the 'pruner' role on the shared database. */
  roles: RoleLock;
  everyMs?: number;
  firstRunMs?: number;
}

/**
 * A team server's background pruning: as the desktop's (soon after start, every few minutes,
 * soon after the policy changes), but only in the instance holding the 'pruner' role, so two
 * instances never prune at once; when the holder stops or dies another takes the role over.
 */
export function createPgPruner(options: PgPrunerOptions) {
  const everyMs = options.everyMs ?? PRUNE_EVERY_MS;
  const firstRunMs = options.firstRunMs ?? FIRST_RUN_MS;
  let role: RoleHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let active = false;
  let runs = 0;
  let last: PruneReport | null = null;

  function schedule(ms: number): void {
    if (!active) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  }

  function run(): void {
    timer = null;
    if (running) return schedule(firstRunMs);
    runs += 1;
    running = pgPruneAndRecord(options.pool, options.publish, { stopped: () => !active })
      .then((report) => (last = report))
      .catch((error: unknown) => console.error('hookbench: pruning failed, will try again:', (error as Error).message))
      .finally(() => {
        running = null;
        schedule(everyMs);
      });
  }

  /** The role was lost or released: no batch starts from here on, and the one under way ends first. */
  async function halt(): Promise<void> {
    active = false;
    if (timer) clearTimeout(timer);
    timer = null;
    await running;
  }

  return {
    start(): void {
      role ??= options.roles.hold('pruner', {
        onAcquired: () => {
          active = true;
          schedule(firstRunMs);
        },
        onLost: halt,
      });
    },
    /** The policy changed: apply it shortly (here, if this instance prunes). */
    soon: () => schedule(firstRunMs),
    /** Whether this instance holds the pruner role now. */
    holding: () => role?.holding() ?? false,
    /** Runs started here, and the last one's report. */
    runs: () => runs,
    last: () => last,
    async stop(): Promise<void> {
      await role?.release();
      await halt();
    },
  };
}

export type PgPruner = ReturnType<typeof createPgPruner>;
