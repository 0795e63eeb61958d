import type { DeliveryFilters } from '../stores/delivery-filters';
import { OUTCOMES, SOURCES, VERDICTS } from '../stores/delivery-filters';

/** What of the Deliveries page lives in the address: its filters and the open delivery. */
export interface DeliveriesView {
  filters: DeliveryFilters;
  openId: number | null;
}

const TEXT_KEYS = { package: 'packageId', event: 'event', q: 'q' } as const;

function time(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** "package=pkg_1&outcome=rejected&open=12": readable, and what a teammate on the same server can open. Unknown values are dropped, never trusted. */
export function viewToQuery(view: DeliveriesView): string {
  const params = new URLSearchParams();
  const f = view.filters;
  for (const [key, field] of Object.entries(TEXT_KEYS)) {
    const value = f[field];
    if (value) params.set(key, value);
  }
  if (f.outcome) params.set('outcome', f.outcome);
  if (f.verdict) params.set('signature', f.verdict);
  if (f.source) params.set('source', f.source);
  if (f.since !== undefined) params.set('since', new Date(f.since).toISOString());
  if (f.until !== undefined) params.set('until', new Date(f.until).toISOString());
  if (view.openId !== null) params.set('open', String(view.openId));
  return params.toString();
}

export function queryToView(query: string): DeliveriesView {
  const params = new URLSearchParams(query);
  const filters: DeliveryFilters = {};
  for (const [key, field] of Object.entries(TEXT_KEYS)) {
    const value = params.get(key)?.slice(0, 2000);
    if (value) filters[field] = value;
  }
  const outcome = oneOf(params.get('outcome'), OUTCOMES);
  const verdict = oneOf(params.get('signature'), VERDICTS);
  const source = oneOf(params.get('source'), SOURCES);
  const since = time(params.get('since'));
  const until = time(params.get('until'));
  if (outcome) filters.outcome = outcome;
  if (verdict) filters.verdict = verdict;
  if (source) filters.source = source;
  if (since !== undefined) filters.since = since;
  if (until !== undefined) filters.until = until;
  const open = params.get('open');
  return { filters, openId: open && /^\d{1,15}$/.test(open) && Number(open) > 0 ? Number(open) : null };
}
