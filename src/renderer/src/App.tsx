import { useEffect } from 'react';
import type { Api } from '../../shared/contract';
import { useApp, type Page } from './stores/app-store';
import { ActivityPage } from './pages/ActivityPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { PackagesPage } from './pages/PackagesPage';

const PAGES: { id: Page; label: string; key: string }[] = [
  { id: 'packages', label: 'Packages', key: '1' },
  { id: 'deliveries', label: 'Deliveries', key: '2' },
  { id: 'activity', label: 'Activity', key: '3' },
];

export function App({ api }: { api: Api }) {
  const page = useApp((s) => s.page);
  const go = useApp((s) => s.go);
  const error = useApp((s) => s.error);
  const connect = useApp((s) => s.connect);

  useEffect(() => connect(api), [api, connect]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select') || !(e.altKey || e.metaKey)) return;
      const found = PAGES.find((p) => p.key === e.key);
      if (found) go(found.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  return (
    <div className="app">
      <nav className="nav" aria-label="Main">
        <span className="brand">Hookbench</span>
        {PAGES.map((p) => (
          <button key={p.id} type="button" className={`nav-item ${page === p.id ? 'active' : ''}`} onClick={() => go(p.id)} title={`Alt+${p.key}`}>
            {p.label}
          </button>
        ))}
      </nav>
      {error ? (
        <div className="banner" role="alert">
          {error}
        </div>
      ) : null}
      {page === 'packages' ? <PackagesPage /> : page === 'deliveries' ? <DeliveriesPage /> : <ActivityPage />}
    </div>
  );
}
