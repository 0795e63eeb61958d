import { renderToString } from 'react-dom/server';
import type { WindowStart } from '../../../shared/first-screen';
import { App } from '../App';
import { useDeliveries } from '../stores/deliveries-store';
import { seedLists } from '../stores/first-screen';
import { useNav } from '../stores/nav-store';

/** The page the markup is for: the page script shows it only when the address opens that page. */
export const PRERENDERED_PAGE = 'deliveries';

/**
 * The window's first screen as markup, made where the page is served: the browser paints the
 * Deliveries rows as soon as the page and its stylesheet arrive, before any script has run; the
 * app then renders the same screen over it and takes over. Runs in the serving process, one
 * page at a time (rendering is synchronous, so the stores it fills are never shared between two).
 * An unfiltered view only: filters live in the address's fragment, which a server never sees.
 */
export function prerenderFirstScreen(start: WindowStart): { page: string; html: string } | null {
  if (Object.keys(start.view).length > 0) return null;
  useNav.setState({ page: PRERENDERED_PAGE });
  useDeliveries.setState({ rows: start.deliveries, total: start.deliveryCount, exhausted: false, loading: false, error: null });
  seedLists(start);
  return { page: PRERENDERED_PAGE, html: renderToString(<App />) };
}
