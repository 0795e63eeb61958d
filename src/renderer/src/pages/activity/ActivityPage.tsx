import { ActivityRow } from '../../components/ActivityRow';
import { Empty } from '../../components/bits';
import { useActivity } from '../../stores/activity-store';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { feedPackage, usePackages } from '../../stores/packages-store';

export function ActivityPage() {
  const entries = useActivity((s) => s.entries);
  const loaded = useActivity((s) => s.loaded);
  const packages = usePackages((s) => s.packages);
  const go = useNav((s) => s.go);
  const open = useDeliveries((s) => s.open);
  const openDelivery = (id: number) => {
    open(id);
    go('deliveries');
  };

  return (
    <main className="main-pane full">
      <div className="pane-head flush">
        <h2>Activity</h2>
        <span className="muted">{entries.length ? `${entries.length.toLocaleString()} most recent · live` : ''}</span>
      </div>
      {entries.length === 0 ? (
        loaded ? (
          <Empty title="Nothing has happened yet">
            Ingested releases, skipped tags, rejected signatures, duplicates, replays and what happens to endpoints appear here as they happen. Add a package and push a tag
            to see the first entry.
          </Empty>
        ) : (
          <p className="muted">Loading activity…</p>
        )
      ) : (
        <ul className="feed" aria-label="Activity">
          {entries.map((a) => (
            <ActivityRow key={a.id} entry={a} pkg={feedPackage(packages, a)} onOpenDelivery={openDelivery} />
          ))}
        </ul>
      )}
    </main>
  );
}
