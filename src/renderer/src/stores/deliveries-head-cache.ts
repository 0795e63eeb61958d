import type { DeliverySummary } from '../../../shared/types';
import { cleanFilters, type DeliveryFilters } from './delivery-filters';

/** The first rows and the count of a view seen lately, so going back to it (a search cleared) repaints at once. */
export interface CachedHead {
  rows: DeliverySummary[];
  total: number | null;
  exhausted: boolean;
}

const MAX_VIEWS = 8;
const heads = new Map<string, CachedHead>();

/** The same filters give the same key, whatever order they were set in. */
export function viewKey(filters: DeliveryFilters): string {
  const clean = cleanFilters(filters) as Record<string, unknown>;
  return JSON.stringify(Object.keys(clean).sort().map((k) => [k, clean[k]]));
}

export function recallHead(filters: DeliveryFilters): CachedHead | undefined {
  return heads.get(viewKey(filters));
}

/** Keeps the newest `size` rows of a view (most recent views win; the oldest is forgotten). */
export function rememberHead(filters: DeliveryFilters, state: CachedHead, size: number): void {
  if (state.rows.length === 0 && state.total === null) return;
  const key = viewKey(filters);
  heads.delete(key);
  heads.set(key, { rows: state.rows.slice(0, size), total: state.total, exhausted: state.exhausted && state.rows.length <= size });
  if (heads.size > MAX_VIEWS) heads.delete(heads.keys().next().value!);
}
