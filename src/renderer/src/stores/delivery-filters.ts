import type { DeliveryOutcome, DeliverySource, DeliverySummary, Verdict } from '../../../shared/types';

export interface DeliveryFilters {
  packageId?: string | undefined;
  /** The receiving address: an inbox id, or a package's hook id. */
  hookId?: string | undefined;
  event?: string | undefined;
  outcome?: DeliveryOutcome | undefined;
  verdict?: Verdict | undefined;
  source?: DeliverySource | undefined;
  since?: number | undefined;
  until?: number | undefined;
  q?: string | undefined;
}

export const OUTCOMES: DeliveryOutcome[] = ['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted'];
export const VERDICTS: Verdict[] = ['valid', 'invalid', 'missing', 'unchecked'];
export const SOURCES: DeliverySource[] = ['direct', 'tunnel', 'replay', 'import'];

/** Drops empty values so the engine gets only what narrows the list. */
export function cleanFilters(filters: DeliveryFilters): DeliveryFilters {
  const out: DeliveryFilters = {};
  for (const [key, value] of Object.entries(filters) as [keyof DeliveryFilters, DeliveryFilters[keyof DeliveryFilters]][]) {
    if (value === undefined || value === '') continue;
    (out as Record<string, unknown>)[key] = typeof value === 'string' && key !== 'q' ? value.trim() : value;
  }
  return out;
}

export const hasFilters = (filters: DeliveryFilters) => Object.keys(cleanFilters(filters)).length > 0;

/**
 * Whether a pushed delivery belongs in the filtered list. The text search covers
 * headers and body, which a summary does not carry, so `q` cannot be decided here.
 */
export function matches(d: DeliverySummary, f: DeliveryFilters): boolean {
  if (f.packageId && d.packageId !== f.packageId) return false;
  if (f.hookId && d.hookId !== f.hookId) return false;
  if (f.outcome && d.outcome !== f.outcome) return false;
  // The engine matches part of the name, case aside (SQL LIKE): live rows are held to the same rule.
  if (f.event && !(d.event ?? '').toLowerCase().includes(f.event.toLowerCase())) return false;
  if (f.verdict && d.verdict !== f.verdict) return false;
  if (f.source && d.source !== f.source) return false;
  if (f.since !== undefined && d.receivedAt < f.since) return false;
  if (f.until !== undefined && d.receivedAt >= f.until) return false;
  return true;
}

/** Rows are newest first (id descending): where `id` is, or would go. */
export function locate(rows: DeliverySummary[], id: number): { found: boolean; index: number } {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.id > id) lo = mid + 1;
    else hi = mid;
  }
  return { found: rows[lo]?.id === id, index: lo };
}
