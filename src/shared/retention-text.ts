import type { RetentionLimits, RetentionOverride, VacuumState } from './retention-types';

const mb = (bytes: number) => `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;

/** "30 days, at most 10000 deliveries, at most 500 MB of bodies", or "keep forever". */
export function describeLimits(l: RetentionLimits | RetentionOverride): string {
  const parts = [
    typeof l.days === 'number' ? `${l.days} day${l.days === 1 ? '' : 's'}` : null,
    typeof l.maxDeliveries === 'number' ? `at most ${l.maxDeliveries} ${l.maxDeliveries === 1 ? 'delivery' : 'deliveries'}` : null,
    typeof l.maxBytes === 'number' ? `at most ${mb(l.maxBytes)} of bodies` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'keep forever';
}

export const VACUUM_TEXT: Record<VacuumState, string> = {
  incremental: 'pruned space is given back to the volume (incremental auto-vacuum)',
  'needs-conversion':
    'pruned space is reused inside the database; it is given back to the volume once the database is converted (at the next start of serve or the app, or hookbench prune while nothing else has the data dir open)',
  server: "pruned space is reused by the database server (PostgreSQL's autovacuum); giving it back to the disk is the database administrator's call",
};
