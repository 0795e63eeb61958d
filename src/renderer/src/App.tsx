import { useEffect } from 'react';
import type { Api } from '../../shared/contract';
import { Banner } from './components/Banner';
import { KeyboardHelp } from './components/KeyboardHelp';
import { Nav } from './components/Nav';
import { typingIn, useKeydown } from './hooks/useKeys';
import { ActivityPage } from './pages/activity/ActivityPage';
import { DebuggerPage } from './pages/debugger/DebuggerPage';
import { DeliveriesPage } from './pages/deliveries/DeliveriesPage';
import { EndpointsPage } from './pages/endpoints/EndpointsPage';
import { PackagesPage } from './pages/packages/PackagesPage';
import { connect } from './stores/live';
import { PAGES, useNav } from './stores/nav-store';

export function App({ api }: { api: Api }) {
  const page = useNav((s) => s.page);
  const go = useNav((s) => s.go);
  const toggleHelp = useNav((s) => s.toggleHelp);

  useEffect(() => connect(api), [api]);
  useKeydown((e) => {
    if (e.altKey && !e.ctrlKey && /^Digit[1-9]$/.test(e.code)) {
      const target = PAGES[Number(e.code.slice(5)) - 1];
      if (target) {
        e.preventDefault();
        go(target.id);
      }
      return;
    }
    if (typingIn(e.target)) return;
    if (e.key === '?') toggleHelp();
    else if (e.key === 'Escape') toggleHelp(false);
  });

  return (
    <div className="app">
      <Nav />
      <Banner />
      {page === 'packages' ? (
        <PackagesPage />
      ) : page === 'deliveries' ? (
        <DeliveriesPage />
      ) : page === 'endpoints' ? (
        <EndpointsPage />
      ) : page === 'debugger' ? (
        <DebuggerPage />
      ) : (
        <ActivityPage />
      )}
      <KeyboardHelp />
    </div>
  );
}
