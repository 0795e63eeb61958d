import { policyView, setPolicy } from '../retention/policy';
import { sqliteRetentionPolicyStatements } from '../retention/policy-statements';
import { prune } from '../retention/prune';
import { pruneAndRecord } from '../retention/pruner';
import { vacuumState } from '../retention/vacuum';
import { keepMark, keptAnswer } from '../retention/keep-delivery';
import type { Handlers, HandlerContext } from './handlers';

export function createRetentionHandlers(ctx: HandlerContext): Pick<Handlers, 'retention.show' | 'retention.set' | 'retention.prune' | 'deliveries.keep'> {
  const { db, bus } = ctx;
  const view = () => policyView(db, vacuumState(db.$client));
  return {
    'retention.show': view,
    'retention.set': (params) => {
      setPolicy(db, params, Date.now());
      ctx.pruner?.soon();
      return view();
    },
    'retention.prune': ({ dryRun }) => (dryRun ? prune(db, true) : pruneAndRecord(db, (event) => bus.publish(event))),
    'deliveries.keep': ({ id, keep }) => {
      const keptAt = keepMark(keep, Date.now());
      return keptAnswer(id, keep, keptAt, sqliteRetentionPolicyStatements(db).keep(id, keptAt));
    },
  };
}
