import { FIRST_SCREEN, type WindowStart } from '../../../shared/first-screen';
import { useActivity } from './activity-store';
import { call } from './connection-store';
import { useConnections } from './connections-store';
import { useDeliveries } from './deliveries-store';
import { cleanFilters, type DeliveryFilters } from './delivery-filters';
import { viewKey } from './deliveries-head-cache';
import { useDialects } from './dialects-store';
import { useEndpoints } from './endpoints-store';
import { useInboxes } from './inboxes-store';
import { usePackages } from './packages-store';

/** Where `serve` puts the first screen's data in the page (see the engine's first-screen-page.ts). */
const ELEMENT_ID = 'hookbench-start';

/** The first screen's data `serve` sent with the page, taken once: later loads ask the engine. */
export function takeEmbeddedStart(): WindowStart | null {
  const element = document.getElementById(ELEMENT_ID);
  element?.remove();
  if (!element?.textContent) return null;
  try {
    return JSON.parse(element.textContent) as WindowStart;
  } catch {
    return null;
  }
}

/**
 * Fills every store the first screen reads from one answer, so the window renders once with
 * its rows. A list the answer lacks is asked for on its own (and shows why it failed); rows for
 * a view the window has since left are dropped and that view is loaded instead.
 */
export function applyStart(start: WindowStart, generation: number): void {
  const deliveries = useDeliveries.getState();
  const fits = viewKey(start.view as DeliveryFilters) === viewKey(deliveries.filters);
  if (!fits || !deliveries.adopt(start.deliveries, start.deliveryCount, generation)) deliveries.reload();
  for (const load of seedLists(start)) void load();
}

/** The answer's lists put in their stores; what it lacks comes back as the loads that ask for it. */
export function seedLists(start: WindowStart): (() => unknown)[] {
  const missing: (() => unknown)[] = [];
  if (start.packages) usePackages.setState({ packages: start.packages, loaded: true });
  else missing.push(() => usePackages.getState().load());
  if (start.inboxes) useInboxes.setState({ inboxes: start.inboxes, loaded: true });
  else missing.push(() => useInboxes.getState().load());
  if (start.dialects) useDialects.setState({ dialects: start.dialects });
  else missing.push(() => useDialects.getState().load());
  if (start.endpoints) useEndpoints.getState().received(start.endpoints);
  else missing.push(() => useEndpoints.getState().load());
  if (start.connections) useConnections.setState({ connections: start.connections, loaded: true });
  else missing.push(() => useConnections.getState().load());
  if (start.activity) useActivity.getState().adopt('', start.activity);
  else missing.push(() => useActivity.getState().load(''));
  return missing;
}

/** The first screen in one call to the engine, for the view in the address. */
export async function loadStart(): Promise<void> {
  const { filters, generation } = useDeliveries.getState();
  const start = await call('window.start', { deliveries: { ...cleanFilters(filters), limit: FIRST_SCREEN.deliveries }, activityLimit: FIRST_SCREEN.activity });
  applyStart(start, generation);
}
