import { queryToView, viewToQuery } from '../lib/deliveries-url';
import { useDeliveries } from './deliveries-store';
import { setPageQuery, splitHash, useNav } from './nav-store';

const sameView = (a: string, b: string) => a === b;

/** Applies the address's Deliveries view (filters, open delivery) to the store. */
function applyFromAddress(): void {
  const { page, query } = splitHash(location.hash);
  if (page !== 'deliveries') return;
  const current = useDeliveries.getState();
  if (sameView(query, viewToQuery({ filters: current.filters, openId: current.openId }))) return;
  const view = queryToView(query);
  useDeliveries.setState({ filters: view.filters, ...(view.openId !== null ? { openId: view.openId, cursorId: view.openId } : { openId: null }) });
  // Before the engine is connected, connecting loads the list with these filters.
  if (current.generation > 0) current.reload();
}

/**
 * Deliveries' filters and open delivery live in the address (#deliveries?outcome=rejected&open=12),
 * so a view can be bookmarked, reloaded and shared with someone using the same server.
 */
export function startUrlSync(): void {
  setPageQuery('deliveries', () => {
    const s = useDeliveries.getState();
    return viewToQuery({ filters: s.filters, openId: s.openId });
  });
  applyFromAddress();
  useDeliveries.subscribe((s, before) => {
    if (s.filters === before.filters && s.openId === before.openId) return;
    if (useNav.getState().page === 'deliveries') useNav.getState().go('deliveries');
  });
  // A pasted or edited address, or back/forward in a browser tab.
  window.addEventListener('hashchange', () => {
    const { page } = splitHash(location.hash);
    const known = useNav.getState();
    if (page && page !== known.page) known.go(page);
    applyFromAddress();
  });
}
