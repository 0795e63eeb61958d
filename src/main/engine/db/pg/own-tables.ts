/**
 * Tables only the PostgreSQL store has, beside the declared ones (../schema.ts): bookkeeping its
 * own triggers keep from the declared tables' rows, never moved, exported or read as data.
 */
export const POSTGRES_OWN_TABLES = {
  /** The whole activity feed's running count, in 64 slots a writer takes the first free of (migration activity_total_pg_plans). */
  activityTotalSlots: 'activity_total_slots',
} as const;
