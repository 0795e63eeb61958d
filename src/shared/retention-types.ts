/** Where a retention policy applies: everything (global), or one package, inbox or endpoint. */
export type RetentionScope = 'global' | 'package' | 'inbox' | 'endpoint';

/**
 * One policy's limits. null: no limit (keep forever). For an endpoint, "deliveries" are the
 * messages sent to it (with their attempts); days also bound its attempt logs.
 */
export interface RetentionLimits {
  days: number | null;
  maxDeliveries: number | null;
  maxBytes: number | null;
}

/** An override as set: a field left out (undefined) follows the global policy. */
export type RetentionOverride = { [K in keyof RetentionLimits]?: number | null };

export interface RetentionOverrideView {
  scope: Exclude<RetentionScope, 'global'>;
  id: string;
  /** The package's, inbox's or endpoint's name; null when it no longer exists. */
  name: string | null;
  set: RetentionOverride;
  /** What applies: the override's fields, the global policy's for the rest. */
  effective: RetentionLimits;
  updatedAt: number;
}

export interface RetentionPolicyView {
  global: RetentionLimits;
  overrides: RetentionOverrideView[];
  /** How freed space goes back to the volume. */
  vacuum: VacuumState;
}

/**
 * 'incremental': pages freed by pruning are handed back to the volume in small steps.
 * 'needs-conversion': the database was made before that was switched on; its space is reused
 * for new rows, and given back once converted (at the next start of serve or the app, or a prune while
 * nothing else has the data dir open).
 * 'server': a team server's PostgreSQL database, whose autovacuum makes pruned space reusable;
 * giving it back to the disk is the database administrator's call.
 */
export type VacuumState = 'incremental' | 'needs-conversion' | 'server';

/** What pruning removes (or removed) from one package, inbox or endpoint. */
export interface PruneScopeCount {
  scope: Exclude<RetentionScope, 'global'>;
  id: string;
  name: string | null;
  /** Deliveries (for an endpoint: finished messages) and their stored body bytes. */
  rows: number;
  bytes: number;
  /** Endpoint attempt logs past the age limit (besides those of removed messages). */
  attempts: number;
  /** Past the limits but kept: marked keep, saved as a fixture, or linked to by a release. */
  pinned: number;
}

export interface PruneReport {
  dryRun: boolean;
  scopes: PruneScopeCount[];
  total: { rows: number; bytes: number; attempts: number; pinned: number };
  /** Bytes handed back to the volume by the vacuum after pruning (0 on a dry run). */
  freedBytes: number;
  vacuum: VacuumState;
  /** When pruning finished (or the plan was made). */
  at: number;
}

/** The receiver's view of the volume: deliveries are refused (503) while it is full. */
export interface DiskState {
  refusing: boolean;
  reason: string | null;
  since: number | null;
  /** Requests answered 503 since refusing began. */
  refused: number;
  /** Free space below which deliveries are refused before anything is written. */
  floorBytes: number;
}
