import { ActivityRow } from '../../components/ActivityRow';
import { Empty } from '../../components/bits';
import { LoadMore } from '../../components/LoadMore';
import { useActivity } from '../../stores/activity-store';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { feedPackage, usePackages } from '../../stores/packages-store';

export function ActivityPage() {
  const feed = useActivity();
  const packages = usePackages((s) => s.packages);
  const go = useNav((s) => s.go);
  const open = useDeliveries((s) => s.open);
  const openDelivery = (id: number) => {
    open(id);
    go('deliveries');
  };
  const entries = feed.items;

  return (
    <main className="main-pane full">
      <div className="pane-head flush">
        <h2>Activity</h2>
        <span className="muted" data-testid="activity-total">
          {feed.total ? `${feed.total.toLocaleString()} ${feed.total === 1 ? 'entry' : 'entries'} · live` : ''}
        </span>
      </div>
      {entries.length === 0 ? (
        feed.loaded ? (
          <Empty title="Nothing has happened yet">
            Ingested releases, skipped tags, rejected signatures, duplicates, replays and what happens to endpoints appear here as they happen. Add a package and push a tag
            to see the first entry.
          </Empty>
        ) : (
          <p className="muted">Loading activity…</p>
        )
      ) : (
        <>
          <ul className="feed" aria-label="Activity">
            {entries.map((a) => (
              <ActivityRow key={a.id} entry={a} pkg={feedPackage(packages, a)} onOpenDelivery={openDelivery} />
            ))}
          </ul>
          <LoadMore list={feed} what="entries" />
        </>
      )}
    </main>
  );
}
