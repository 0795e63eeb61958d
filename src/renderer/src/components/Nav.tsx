import { useConnection } from '../stores/connection-store';
import { PAGES, useNav } from '../stores/nav-store';
import { ThemeSwitch } from './ThemeSwitch';

const LIVE_TEXT = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' } as const;

export function Nav() {
  const page = useNav((s) => s.page);
  const go = useNav((s) => s.go);
  const toggleHelp = useNav((s) => s.toggleHelp);
  const live = useConnection((s) => s.live);
  return (
    <nav className="nav" aria-label="Main">
      <span className="brand">Hookbench</span>
      {PAGES.map((p, i) => (
        <button
          key={p.id}
          type="button"
          className={`nav-item ${page === p.id ? 'active' : ''}`}
          aria-current={page === p.id ? 'page' : undefined}
          onClick={() => go(p.id)}
          title={`${p.label} (Alt+${i + 1})`}
        >
          {p.label}
        </button>
      ))}
      <span className="nav-spacer" />
      <span className={`live live-${live}`} title={live === 'live' ? 'New deliveries and attempts appear as they happen.' : 'The push channel is down; lists reload when it is back.'}>
        {LIVE_TEXT[live]}
      </span>
      <ThemeSwitch />
      <button type="button" className="nav-item" onClick={() => toggleHelp()} title="Keyboard shortcuts (?)">
        ?
      </button>
    </nav>
  );
}
