import { Suspense, useEffect } from 'react';
import { Banner } from './components/Banner';
import { KeyboardHelp } from './components/KeyboardHelp';
import { Nav } from './components/Nav';
import { TokenGate } from './components/TokenGate';
import { typingIn, useKeydown } from './hooks/useKeys';
import { CurrentPage } from './pages/CurrentPage';
import { preloadPages, ReplayDialog } from './pages/lazy';
import { PAGES, useNav } from './stores/nav-store';
import { useReplay } from './stores/replay-store';

export function App() {
  const go = useNav((s) => s.go);
  const toggleHelp = useNav((s) => s.toggleHelp);
  const replaying = useReplay((s) => s.source !== null);
  useEffect(preloadPages, []);

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
      <CurrentPage />
      {replaying ? (
        <Suspense fallback={null}>
          <ReplayDialog />
        </Suspense>
      ) : null}
      <KeyboardHelp />
      <TokenGate />
    </div>
  );
}
