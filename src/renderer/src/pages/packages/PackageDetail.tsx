import { Fragment, useEffect, useState } from 'react';
import { checkVerdict, summarizeChecks } from '../../../../shared/release-text';
import type { CheckResult, PackageSummary, Release } from '../../../../shared/types';
import { ActivityRow } from '../../components/ActivityRow';
import { Badge, CopyButton, Empty, outcomeTone } from '../../components/bits';
import { when } from '../../lib/format';
import { useActivity } from '../../stores/activity-store';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { usePackages } from '../../stores/packages-store';
import { PackageOps } from './PackageOps';
import { connectionName, useConnections } from '../../stores/connections-store';

const VERDICT_TONE = { pass: 'ok', fail: 'bad', note: 'info', none: 'muted' } as const;

/** Info rules say something about a release (a note), they do not pass or fail it. */
function CheckBadge({ check }: { check: CheckResult }) {
  const verdict = checkVerdict(check);
  if (verdict === 'none') return <span className="muted">—</span>;
  return <Badge tone={verdict === 'fail' && check.severity === 'warning' ? 'warn' : VERDICT_TONE[verdict]}>{verdict}</Badge>;
}

function Quality({ release }: { release: Release }) {
  return (
    <table className="grid" aria-label={`Quality of ${release.tag}`}>
      <thead>
        <tr>
          <th>Rule</th>
          <th>Severity</th>
          <th>Result</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {release.checks.map((c) => (
          <tr key={c.rule}>
            <td>{c.rule}</td>
            <td className="nowrap">{c.severity}</td>
            <td>
              <CheckBadge check={c} />
            </td>
            <td>{c.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PackageDetail({ pkg }: { pkg: PackageSummary }) {
  const connections = useConnections((s) => s.connections);
  const releases = usePackages((s) => s.releases[pkg.id]);
  const allActivity = useActivity((s) => s.entries);
  const activity = allActivity.filter((a) => a.packageId === pkg.id);
  const loadReleases = usePackages((s) => s.loadReleases);
  const [open, setOpen] = useState<number | null>(null);
  const openDelivery = (id: number) => {
    useDeliveries.getState().open(id);
    useNav.getState().go('deliveries');
  };

  useEffect(() => {
    void loadReleases(pkg.id);
  }, [pkg.id, loadReleases]);

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
      <section className="card">
        <h3>Releases</h3>
        {!releases || releases.length === 0 ? (
          <Empty title="No releases yet">Push a semver tag (for example v1.0.0) to {pkg.repo}; it appears here as soon as it is ingested.</Empty>
        ) : (
          <table className="grid" aria-label="Releases">
            <thead>
              <tr>
                <th>Tag</th>
                <th>Version</th>
                <th>Status</th>
                <th>Checks</th>
                <th>Ingested</th>
              </tr>
            </thead>
            <tbody>
              {releases.map((r) => (
                <Fragment key={r.id}>
                  <tr className="clickable" onClick={() => setOpen(open === r.id ? null : r.id)}>
                    <td>{r.tag}</td>
                    <td>{r.version}</td>
                    <td>
                      <Badge tone={outcomeTone(r.status)}>{r.status.replace('_', ' ')}</Badge>
                    </td>
                    <td>
                      {summarizeChecks(r.checks).text}
                    </td>
                    <td>{when(r.createdAt)}</td>
                  </tr>
                  {open === r.id ? (
                    <tr>
                      <td colSpan={5}>
                        <Quality release={r} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h3>Ingest activity</h3>
        {activity.length === 0 ? (
          <Empty title="Nothing yet" />
        ) : (
          <ul className="feed plain" aria-label="Ingest activity">
            {activity.slice(0, 50).map((a) => (
              <ActivityRow key={a.id} entry={a} onOpenDelivery={openDelivery} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
