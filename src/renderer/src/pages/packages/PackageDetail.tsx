import { useEffect } from 'react';
import type { PackageSummary } from '../../../../shared/types';
import { ActivityRow } from '../../components/ActivityRow';
import { Badge, CopyButton, Empty, outcomeTone } from '../../components/bits';
import { ReleaseList } from './ReleaseList';
import { when } from '../../lib/format';
import { usePackageActivity } from '../../stores/activity-store';
import { LoadMore, withTotal } from '../../components/LoadMore';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { PackageOps } from './PackageOps';
import { connectionName, useConnections } from '../../stores/connections-store';

export function PackageDetail({ pkg }: { pkg: PackageSummary }) {
  const connections = useConnections((s) => s.connections);
  const feed = usePackageActivity();
  const activity = feed.key === pkg.id ? feed.items : [];
  useEffect(() => {
    void usePackageActivity.getState().load(pkg.id);
  }, [pkg.id]);
  const openDelivery = (id: number) => {
    useDeliveries.getState().open(id);
    useNav.getState().go('deliveries');
  };

  return (
    <div className="detail">
      <header className="detail-head">
        <h2>{pkg.name}</h2>
        <span className="muted">
          {pkg.provider} · {pkg.repo} · repo id {pkg.repoId}
        </span>
      </header>
      <section className="card">
        <h3>Hook</h3>
        <dl className="kv">
          <dt>URL</dt>
          <dd>
            <code>{pkg.hook.url}</code> <CopyButton text={pkg.hook.url} />
          </dd>
          <dt>Status</dt>
          <dd>
            <Badge tone={outcomeTone(pkg.hook.status)}>{pkg.hook.status}</Badge> <span className="muted">{pkg.hook.statusReason}</span>
          </dd>
          <dt>Verified</dt>
          <dd>{when(pkg.hook.verifiedAt)}</dd>
          <dt>Managed</dt>
          <dd>
            {pkg.connectionId ? `upstream, through ${connectionName(connections, pkg.connectionId)}` : 'by hand: the URL and secret are pasted into the repository settings'}
            {pkg.upstream?.rotationError ? <span className="tone-bad"> · last rotation failed: {pkg.upstream.rotationError}</span> : null}
          </dd>
        </dl>
        <PackageOps pkg={pkg} />
      </section>
      <ReleaseList key={pkg.id} pkg={pkg} />
      <section className="card">
        <h3>{withTotal('Ingest activity', feed.key === pkg.id ? feed.total : null)}</h3>
        {activity.length === 0 ? (
          <Empty title="Nothing yet" />
        ) : (
          <ul className="feed plain" aria-label="Ingest activity">
            {activity.map((a) => (
              <ActivityRow key={a.id} entry={a} onOpenDelivery={openDelivery} />
            ))}
          </ul>
        )}
        {feed.key === pkg.id ? <LoadMore list={feed} what="entries" /> : null}
      </section>
    </div>
  );
}
