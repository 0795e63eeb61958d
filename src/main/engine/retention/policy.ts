import { ApiError } from '../../../shared/contract';
import type { ParsedParamsOf } from '../../../shared/contract';
import type { RetentionOverride, RetentionPolicyView, RetentionScope, VacuumState } from '../../../shared/retention-types';
import type { Queryable } from '../db/open';
import { effectiveLimits, globalLimits, scopeKey, sqliteRetentionPolicyStatements, type OverrideScope, type StoredPolicy } from './policy-statements';

const FIELDS = ['days', 'maxDeliveries', 'maxBytes'] as const;

/** The policy as retention.show answers it, from the stored rows and the names of what they apply to (either store). */
export function policyViewOf(stored: StoredPolicy[], names: Map<string, string>, vacuum: VacuumState): RetentionPolicyView {
  const global = globalLimits(stored);
  const overrides = stored
    .filter((p): p is StoredPolicy & { scope: OverrideScope } => p.scope !== 'global')
    .map((p) => ({ scope: p.scope, id: p.id, name: names.get(scopeKey(p.scope, p.id)) ?? null, set: p.limits, effective: effectiveLimits(global, p.limits), updatedAt: p.updatedAt }))
    .sort((a, b) => a.scope.localeCompare(b.scope) || (a.name ?? a.id).localeCompare(b.name ?? b.id));
  return { global, overrides, vacuum };
}

export function policyView(db: Queryable, vacuum: VacuumState): RetentionPolicyView {
  const statements = sqliteRetentionPolicyStatements(db);
  return policyViewOf(statements.all(), statements.names(), vacuum);
}

/** What a retention.set call changes, once its params are checked: where, and what follows. */
export interface PolicyChange {
  scope: RetentionScope;
  id: string;
  /** An override that checks `exists` first (the global policy always exists). */
  override: OverrideScope | null;
  /** Drop the override (inherit), else store `next(current)`. */
  inherit: boolean;
  next(current: RetentionOverride): RetentionOverride;
}

/** Checks a retention.set call's params (either store): the fields given replace the stored ones, the rest stay. */
export function policyChange(params: ParsedParamsOf<'retention.set'>): PolicyChange {
  const given = FIELDS.filter((k) => params[k] !== undefined);
  if (!params.forever && !params.inherit && given.length === 0) {
    throw new ApiError('invalid_params', 'Nothing to set: give days, maxDeliveries or maxBytes, forever, or (for an override) inherit.');
  }
  if ((params.forever || params.inherit) && given.length > 0) {
    throw new ApiError('invalid_params', `${params.forever ? 'forever' : 'inherit'} takes no limits beside it.`);
  }
  return {
    scope: params.scope ?? 'global',
    id: params.id ?? '',
    override: params.scope ?? null,
    inherit: Boolean(params.inherit),
    next(current) {
      const next: RetentionOverride = params.forever ? { days: null, maxDeliveries: null, maxBytes: null } : { ...current };
      for (const k of given) next[k] = params[k] as number | null;
      return next;
    },
  };
}

export const noSuchScope = (scope: OverrideScope, id: string) => new ApiError('not_found', `No ${scope} with id ${id}.`);

/** Applies a retention.set call. */
export function setPolicy(db: Queryable, params: ParsedParamsOf<'retention.set'>, now: number): void {
  const statements = sqliteRetentionPolicyStatements(db);
  const change = policyChange(params);
  if (change.override && !statements.exists(change.override, change.id)) throw noSuchScope(change.override, change.id);
  if (change.inherit) return statements.drop(change.override!, change.id);
  const current = statements.all().find((p) => p.scope === change.scope && p.id === change.id)?.limits ?? {};
  statements.put(change.scope, change.id, change.next(current), now);
}
