import { ApiError } from '../../../shared/contract';
import type { ParsedParamsOf } from '../../../shared/contract';
import type { RetentionOverride, RetentionPolicyView, VacuumState } from '../../../shared/retention-types';
import type { Queryable } from '../db/open';
import { effectiveLimits, globalLimits, scopeKey, sqliteRetentionPolicyStatements, type OverrideScope, type StoredPolicy } from './policy-statements';

const FIELDS = ['days', 'maxDeliveries', 'maxBytes'] as const;

export function policyView(db: Queryable, vacuum: VacuumState): RetentionPolicyView {
  const statements = sqliteRetentionPolicyStatements(db);
  const stored = statements.all();
  const global = globalLimits(stored);
  const names = statements.names();
  const overrides = stored
    .filter((p): p is StoredPolicy & { scope: OverrideScope } => p.scope !== 'global')
    .map((p) => ({ scope: p.scope, id: p.id, name: names.get(scopeKey(p.scope, p.id)) ?? null, set: p.limits, effective: effectiveLimits(global, p.limits), updatedAt: p.updatedAt }))
    .sort((a, b) => a.scope.localeCompare(b.scope) || (a.name ?? a.id).localeCompare(b.name ?? b.id));
  return { global, overrides, vacuum };
}

/** Applies a retention.set call: the fields given replace the stored ones, the rest stay. */
export function setPolicy(db: Queryable, params: ParsedParamsOf<'retention.set'>, now: number): void {
  const statements = sqliteRetentionPolicyStatements(db);
  const given = FIELDS.filter((k) => params[k] !== undefined);
  if (!params.forever && !params.inherit && given.length === 0) {
    throw new ApiError('invalid_params', 'Nothing to set: give days, maxDeliveries or maxBytes, forever, or (for an override) inherit.');
  }
  if ((params.forever || params.inherit) && given.length > 0) {
    throw new ApiError('invalid_params', `${params.forever ? 'forever' : 'inherit'} takes no limits beside it.`);
  }
  const scope = params.scope ?? 'global';
  const id = params.id ?? '';
  if (params.scope && !statements.exists(params.scope, id)) throw new ApiError('not_found', `No ${params.scope} with id ${id}.`);
  if (params.inherit) return statements.drop(params.scope!, id);
  const current: RetentionOverride = statements.all().find((p) => p.scope === scope && p.id === id)?.limits ?? {};
  const next: RetentionOverride = params.forever ? { days: null, maxDeliveries: null, maxBytes: null } : { ...current };
  for (const k of given) next[k] = params[k] as number | null;
  statements.put(scope, id, next, now);
}
