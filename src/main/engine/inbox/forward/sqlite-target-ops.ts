import { and, eq } from 'drizzle-orm';
import type { InboxForwardTarget } from '../../../../shared/inbox-types';
import type { Queryable } from '../../db/open';
import { inboxForwards, inboxForwardTargets, inboxes } from '../../db/schema';
import { runOps } from '../../store/steps';
import { forwardSteps, type TargetOps } from './target-steps';
import { toForwardTarget, type TargetInput } from './targets';

/** Forward targets in a SQLite data dir, answered at once (inside the caller's transaction for a change). */
export function sqliteTargetOps(db: Queryable): TargetOps {
  return {
    inboxExists: (inboxId) => db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, inboxId)).get() !== undefined,
    targetsOf: (inboxId) => db.select().from(inboxForwardTargets).where(eq(inboxForwardTargets.inboxId, inboxId)).orderBy(inboxForwardTargets.createdAt).all(),
    upsertTarget(row) {
      const { events, pathRewrite, passBack, retrySeconds } = row;
      db.insert(inboxForwardTargets)
        .values(row)
        .onConflictDoUpdate({ target: [inboxForwardTargets.inboxId, inboxForwardTargets.url], set: { events, pathRewrite, passBack, retrySeconds } })
        .run();
    },
    deleteTarget(inboxId, url) {
      db.delete(inboxForwardTargets)
        .where(and(eq(inboxForwardTargets.inboxId, inboxId), eq(inboxForwardTargets.url, url)))
        .run();
    },
    giveUpPending(inboxId, url, error, at) {
      db.update(inboxForwards)
        .set({ state: 'failed', nextAttemptAt: null, error, updatedAt: at })
        .where(and(eq(inboxForwards.inboxId, inboxId), eq(inboxForwards.targetUrl, url), eq(inboxForwards.state, 'pending')))
        .run();
    },
  };
}

export function listForwardTargets(db: Queryable, inboxId: string): InboxForwardTarget[] {
  return sqliteTargetOps(db).targetsOf(inboxId).map(toForwardTarget);
}

/** inboxes.forward on a data dir; run it inside a transaction. */
export function forwardTarget(db: Queryable, inboxId: string, params: TargetInput & { remove?: boolean | undefined }, now = Date.now()): InboxForwardTarget[] {
  return runOps(forwardSteps(inboxId, params, now), sqliteTargetOps(db));
}
