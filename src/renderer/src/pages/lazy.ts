import { lazy } from 'react';

/**
 * Everything but the Deliveries list is loaded on first use (other pages, the open delivery,
 * dialogs), so the first screen parses and runs less code; once it is up they are fetched in
 * the background.
 */
const loaders = {
  packages: () => import('./packages/PackagesPage').then((m) => ({ default: m.PackagesPage })),
  deliveryDetail: () => import('./deliveries/DeliveryDetail').then((m) => ({ default: m.DeliveryDetail })),
  exportDialog: () => import('./deliveries/ExportDialog').then((m) => ({ default: m.ExportDialog })),
  importDialog: () => import('./deliveries/ImportDialog').then((m) => ({ default: m.ImportDialog })),
  inboxes: () => import('./inboxes/InboxesPage').then((m) => ({ default: m.InboxesPage })),
  endpoints: () => import('./endpoints/EndpointsPage').then((m) => ({ default: m.EndpointsPage })),
  debugger: () => import('./debugger/DebuggerPage').then((m) => ({ default: m.DebuggerPage })),
  fixtures: () => import('./fixtures/FixturesPage').then((m) => ({ default: m.FixturesPage })),
  tunnel: () => import('./tunnel/TunnelPage').then((m) => ({ default: m.TunnelPage })),
  activity: () => import('./activity/ActivityPage').then((m) => ({ default: m.ActivityPage })),
  storage: () => import('./storage/StoragePage').then((m) => ({ default: m.StoragePage })),
  replay: () => import('./replay/ReplayDialog').then((m) => ({ default: m.ReplayDialog })),
};

export const PackagesPage = lazy(loaders.packages);
export const DeliveryDetail = lazy(loaders.deliveryDetail);
export const ExportDialog = lazy(loaders.exportDialog);
export const ImportDialog = lazy(loaders.importDialog);
export const InboxesPage = lazy(loaders.inboxes);
export const EndpointsPage = lazy(loaders.endpoints);
export const DebuggerPage = lazy(loaders.debugger);
export const FixturesPage = lazy(loaders.fixtures);
export const TunnelPage = lazy(loaders.tunnel);
export const ActivityPage = lazy(loaders.activity);
export const StoragePage = lazy(loaders.storage);
export const ReplayDialog = lazy(loaders.replay);

/** Fetches every lazy page's code when the browser is idle. */
export function preloadPages(): void {
  const run = () => {
    for (const load of Object.values(loaders)) void load();
  };
  if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 500);
}
