import { useCallback, useEffect, useState } from 'react';
import { checkVerdict, summarizeChecks } from '../../../../shared/release-text';
import type { CheckResult, PackageSummary, Release } from '../../../../shared/types';
import { Badge, Empty, outcomeTone } from '../../components/bits';
import { VirtualList } from '../../components/VirtualList';
import { withTotal } from '../../components/LoadMore';
import { shortTime, when } from '../../lib/format';
import { useReleases } from '../../stores/releases-store';
import { ROW_HEIGHT } from '../deliveries/DeliveryTable';

const VERDICT_TONE = { pass: 'ok', fail: 'bad', note: 'info', none: 'muted' } as const;
/** Rows on screen before the list scrolls inside its card. */
const VISIBLE_ROWS = 12;

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

function ReleaseHeader() {
  return (
    <div role="row" className="drow dhead rrow" aria-rowindex={1}>
      {['Tag', 'Version', 'Status', 'Checks', 'Ingested'].map((h) => (
        <span key={h} role="columnheader">
          {h}
        </span>
      ))}
    </div>
  );
}

function ReleaseRow({ r, index, open, onOpen }: { r: Release; index: number; open: boolean; onOpen(id: number): void }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={open}
      tabIndex={0}
      className={`drow rrow ${open ? 'open' : ''}`}
      onClick={() => onOpen(r.id)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onOpen(r.id))}
    >
      <span role="cell" className="ellipsis" title={r.tag}>
        {r.tag}
      </span>
      <span role="cell" className="ellipsis" title={r.version}>
        {r.version}
      </span>
      <span role="cell">
        <Badge tone={outcomeTone(r.status)}>{r.status.replace('_', ' ')}</Badge>
      </span>
      <span role="cell" className="ellipsis">
        {summarizeChecks(r.checks).text}
      </span>
      <span role="cell" className="ellipsis muted" title={when(r.createdAt)}>
        {shortTime(r.createdAt)}
      </span>
    </div>
  );
}

/** Every release of the package, windowed like the Deliveries list; older pages load as they scroll into view. */
export function ReleaseList({ pkg }: { pkg: PackageSummary }) {
  const list = useReleases();
  const [open, setOpen] = useState<number | null>(null);
  const want = list.want;
  const onRange = useCallback((_start: number, end: number) => want(end + VISIBLE_ROWS), [want]);

  // Keyed by package where it is used, so the open release starts closed for each package.
  useEffect(() => {
    void useReleases.getState().load(pkg.id);
  }, [pkg.id]);

  const mine = list.key === pkg.id;
  const rows = mine ? list.items : [];
  const count = list.nextCursor === null ? rows.length : Math.max(list.total ?? 0, rows.length);
  const opened = open === null ? undefined : rows.find((r) => r.id === open);

  return (
    <section className="card">
      <h3 data-testid="releases-heading">{withTotal('Releases', mine ? list.total : null)}</h3>
      {rows.length === 0 ? (
        mine && list.loaded ? (
          <Empty title="No releases yet">Push a semver tag (for example v1.0.0) to {pkg.repo}; it appears here as soon as it is ingested.</Empty>
        ) : (
          <p className="muted">Loading releases…</p>
        )
      ) : (
        <div className="release-list" style={{ height: (Math.min(count, VISIBLE_ROWS) + 1) * ROW_HEIGHT + 2 }}>
          <VirtualList
            role="table"
            ariaLabel="Releases"
            ariaRowCount={count + 1}
            className="dtable"
            count={count}
            rowHeight={ROW_HEIGHT}
            header={<ReleaseHeader />}
            resetKey={pkg.id}
            onRange={onRange}
            renderRow={(i) => {
              const r = rows[i];
              if (!r) return <div key={`p${i}`} role="row" aria-rowindex={i + 2} className="drow rrow placeholder" aria-busy="true" />;
              return <ReleaseRow key={r.id} r={r} index={i} open={r.id === open} onOpen={(id) => setOpen(open === id ? null : id)} />;
            }}
          />
        </div>
      )}
      {opened ? <Quality release={opened} /> : null}
    </section>
  );
}
