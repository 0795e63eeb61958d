// Free of runtime dependencies (no zod): the renderer reads these without loading the contract's schemas.
import type { Page } from './paging';
import type { ActivityEntry, ConnectionSummary, DeliverySummary, DeliveryOutcome, DeliverySource, DialectInfo, EndpointSummary, InboxSummary, PackageSummary, Verdict } from './types';

/** A Deliveries view: the filters of delivery-filter.ts, as parsed. */
export interface DeliveryFilterValue {
  packageId?: string;
  hookId?: string;
  outcome?: DeliveryOutcome;
  event?: string;
  verdict?: Verdict;
  source?: DeliverySource;
  since?: number;
  until?: number;
  q?: string;
}

/** How many rows the window's first screen shows of each list before it pages on. */
export const FIRST_SCREEN = { deliveries: 200, activity: 100 } as const;

/**
 * Everything the window's first screen shows, in one answer: asked for once at start (and after
 * the push channel comes back), or embedded by `serve` in the page it sends. A list is null when
 * it could not be read here (an engine without provider connections): the window asks for it on
 * its own, and shows why that failed.
 */
export interface WindowStart {
  /** The Deliveries view these rows are for (its filters), so the window can tell whether they fit its own. */
  view: DeliveryFilterValue;
  /** The view's first page, newest first. */
  deliveries: DeliverySummary[];
  /** The view's count when the engine keeps or indexes it (the whole list, a time range); null when counting reads rows, which the window asks for aside. */
  deliveryCount: number | null;
  packages: PackageSummary[] | null;
  inboxes: InboxSummary[] | null;
  dialects: DialectInfo[] | null;
  endpoints: EndpointSummary[] | null;
  connections: ConnectionSummary[] | null;
  /** The activity feed's first page, with its total. */
  activity: Page<ActivityEntry> | null;
}

