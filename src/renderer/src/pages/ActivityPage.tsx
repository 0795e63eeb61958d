import { Badge, Empty, outcomeTone, when } from '../components/bits';
import { useApp } from '../stores/app-store';

export function ActivityPage() {
  const activity = useApp((s) => s.activity);
  const packages = useApp((s) => s.packages);
  const nameOf = (id: string | null) => packages.find((p) => p.id === id)?.name ?? '';
  return (
    <main className="main-pane full">
      <div className="pane-head">
        <h2>Activity</h2>
      </div>
      {activity.length === 0 ? (
        <Empty title="Nothing has happened yet">Ingested releases, skipped tags, rejected signatures and duplicates appear here as they happen.</Empty>
      ) : (
        <ul className="feed" aria-label="Activity">
          {activity.map((a) => (
            <li key={a.id}>
              <Badge tone={outcomeTone(a.kind)}>{a.kind.replace('_', ' ')}</Badge> <strong>{nameOf(a.packageId)}</strong> <span>{a.message}</span>{' '}
              <span className="muted">{when(a.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
