import { z } from 'zod';
import { id, method } from './contract-method';
import type { PruneReport, RetentionPolicyView } from './retention-types';

const limit = (max: number) => z.number().int().min(1).max(max).nullable().optional();

/** Retention, pruning and pinned deliveries; part of the engine API in contract.ts. */
export const retentionMethods = {
  /** The global policy, every override with what applies, and how space goes back to the volume. */
  'retention.show': method<RetentionPolicyView>()(z.object({})),
  /**
   * Sets the global policy (no scope) or one override. A field left out stays as it is; null
   * means no limit; `forever` clears every limit; `inherit` drops the override.
   */
  'retention.set': method<RetentionPolicyView>()(
    z
      .object({
        scope: z.enum(['package', 'inbox', 'endpoint']).optional(),
        id: id.optional(),
        days: limit(100_000),
        maxDeliveries: limit(1_000_000_000),
        maxBytes: limit(2 ** 50),
        forever: z.boolean().default(false),
        inherit: z.boolean().default(false),
      })
      .refine((p) => (p.scope === undefined) === (p.id === undefined), { message: 'a scope (package, inbox, endpoint) needs its id, and an id its scope' })
      .refine((p) => !(p.inherit && p.scope === undefined), { message: 'inherit drops an override: name the package, inbox or endpoint' })
      .refine((p) => !(p.forever && p.inherit), { message: 'forever and inherit exclude each other' }),
  ),
  /** What the policy removes now (dryRun) or removes it, in small transactions, then gives the space back. */
  'retention.prune': method<PruneReport>()(z.object({ dryRun: z.boolean().default(false) })),
  /** Marks a delivery "keep" (retention never prunes it) or unmarks it. */
  'deliveries.keep': method<{ id: number; kept: boolean; keptAt: number | null }>()(z.object({ id: z.number().int().positive(), keep: z.boolean().default(true) })),
} as const;
