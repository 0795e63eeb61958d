import { and, eq, inArray } from 'drizzle-orm';
import type { RetentionLimits, RetentionOverride, RetentionScope } from '../../../shared/retention-types';
import type { Queryable } from '../db/open';
import { deliveries, endpoints, inboxes, packages, retentionPolicies } from '../db/schema';

export type OverrideScope = Exclude<RetentionScope, 'global'>;

export interface StoredPolicy {
  scope: RetentionScope;
  id: string;
  /** undefined: follows the global policy; null: no limit. */
  limits: RetentionOverride;
  updatedAt: number;
}

/** What retention settings ask of the store; a PostgreSQL store answers the same. */
export interface RetentionPolicyStatements {
  all(): StoredPolicy[];
  put(scope: RetentionScope, id: string, limits: RetentionOverride, at: number): void;
  drop(scope: OverrideScope, id: string): void;
  /** Names of the packages, inboxes and endpoints that exist, by scope and id. */
  names(): Map<string, string>;
  exists(scope: OverrideScope, id: string): boolean;
  /** Marks a delivery keep (at `at`) or not; false when there is no such delivery. */
  keep(deliveryId: number, at: number | null): boolean;
}

// A limit column: NULL follows the global policy, 0 is "no limit" (see schema-retention.ts).
export const fromColumn = (value: number | null): number | null | undefined => (value === null ? undefined : value === 0 ? null : value);
export const toColumn = (value: number | null | undefined): number | null => (value === undefined ? null : value === null ? 0 : value);

export const TABLES = { package: packages, inbox: inboxes, endpoint: endpoints } as const;

export const scopeKey = (scope: OverrideScope, id: string) => `${scope}:${id}`;

export function sqliteRetentionPolicyStatements(db: Queryable): RetentionPolicyStatements {
  return {
    all() {
      return db
        .select()
        .from(retentionPolicies)
        .all()
        .map((r) => ({
          scope: r.scope,
          id: r.scopeId,
          limits: { days: fromColumn(r.days), maxDeliveries: fromColumn(r.maxDeliveries), maxBytes: fromColumn(r.maxBytes) },
          updatedAt: r.updatedAt,
        }));
    },
    put(scope, id, limits, at) {
      const row = { days: toColumn(limits.days), maxDeliveries: toColumn(limits.maxDeliveries), maxBytes: toColumn(limits.maxBytes), updatedAt: at };
      db.insert(retentionPolicies)
        .values({ scope, scopeId: id, ...row })
        .onConflictDoUpdate({ target: [retentionPolicies.scope, retentionPolicies.scopeId], set: row })
        .run();
    },
    drop(scope, id) {
      db.delete(retentionPolicies)
        .where(and(eq(retentionPolicies.scope, scope), eq(retentionPolicies.scopeId, id)))
        .run();
    },
    names() {
      const names = new Map<string, string>();
      for (const [scope, table] of Object.entries(TABLES) as [OverrideScope, (typeof TABLES)[OverrideScope]][]) {
        for (const row of db.select({ id: table.id, name: table.name }).from(table).all()) names.set(scopeKey(scope, row.id), row.name);
      }
      return names;
    },
    exists(scope, id) {
      const table = TABLES[scope];
      return (
        db
          .select({ id: table.id })
          .from(table)
          .where(inArray(table.id, [id]))
          .get() !== undefined
      );
    },
    keep(deliveryId, at) {
      return db.update(deliveries).set({ keptAt: at }).where(eq(deliveries.id, deliveryId)).run().changes > 0;
    },
  };
}

/** The global policy's limits: a field it leaves unset is no limit. */
export function globalLimits(stored: StoredPolicy[]): RetentionLimits {
  const row = stored.find((p) => p.scope === 'global');
  return { days: row?.limits.days ?? null, maxDeliveries: row?.limits.maxDeliveries ?? null, maxBytes: row?.limits.maxBytes ?? null };
}

/** An override's fields, the global policy's for the ones it leaves unset. */
export function effectiveLimits(global: RetentionLimits, override: RetentionOverride | undefined): RetentionLimits {
  const pick = (k: keyof RetentionLimits): number | null => {
    const own = override?.[k];
    return own === undefined ? global[k] : own;
  };
  return { days: pick('days'), maxDeliveries: pick('maxDeliveries'), maxBytes: pick('maxBytes') };
}

export const keepsEverything = (l: RetentionLimits) => l.days === null && l.maxDeliveries === null && l.maxBytes === null;

/** The policy as pruning reads it (either store), and whether any part of it limits anything (else nothing needs reading). */
export function policiesInForce(stored: StoredPolicy[]) {
  const global = globalLimits(stored);
  const overrides: Record<string, RetentionOverride> = Object.fromEntries(stored.filter((p) => p.scope !== 'global').map((p) => [scopeKey(p.scope as OverrideScope, p.id), p.limits]));
  const limits = !keepsEverything(global) || Object.values(overrides).some((o) => !keepsEverything(effectiveLimits(global, o)));
  return { global, overrides, limits };
}
