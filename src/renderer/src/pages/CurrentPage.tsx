import { Suspense } from 'react';
import { useNav } from '../stores/nav-store';
import { DeliveriesPage } from './deliveries/DeliveriesPage';
import { ActivityPage, DebuggerPage, EndpointsPage, FixturesPage, InboxesPage, PackagesPage, StoragePage, TunnelPage } from './lazy';

/** The page the navigation points at; the ones loaded on first use show a line while they arrive. */
export function CurrentPage() {
  const page = useNav((s) => s.page);
  return (
    <Suspense fallback={<p className="muted pad">Loading…</p>}>
      {page === 'packages' ? (
        <PackagesPage />
      ) : page === 'inboxes' ? (
        <InboxesPage />
      ) : page === 'deliveries' ? (
        <DeliveriesPage />
      ) : page === 'endpoints' ? (
        <EndpointsPage />
      ) : page === 'debugger' ? (
        <DebuggerPage />
      ) : page === 'fixtures' ? (
        <FixturesPage />
      ) : page === 'tunnel' ? (
        <TunnelPage />
      ) : page === 'storage' ? (
        <StoragePage />
      ) : (
        <ActivityPage />
      )}
    </Suspense>
  );
}
