import type { StorageStatus } from '../../../../shared/types';
import { describeLimits, VACUUM_TEXT } from '../../../../shared/retention-text';
import { size } from '../../../../shared/size';
import { num, when } from '../../lib/format';

/** The retention policy, what it removes next, and whether the receiver is refusing for lack of space. */
export function RetentionSection({ status }: { status: StorageStatus }) {
  const { retention, nextPrune, disk } = status;
  if (!retention) return null;
  const next = nextPrune?.total;
  return (
    <section className="card" aria-label="Retention">
      <h3>Retention</h3>
      {disk?.refusing ? (
        <p className="reason warn-note" role="alert" data-testid="disk-refusing">
          The receiver answers 503 to every delivery: {disk.reason}. {num(disk.refused)} refused since {when(disk.since)}.
        </p>
      ) : null}
      <dl className="kv storage-kv">
        <dt>Policy</dt>
        <dd data-testid="retention-global">{describeLimits(retention.global)}</dd>
        {retention.overrides.map((o) => (
          <div key={`${o.scope}:${o.id}`} className="kv-pair">
            <dt>
              {o.scope} {o.name ?? '(removed)'}
            </dt>
            <dd>{describeLimits(o.effective)}</dd>
          </div>
        ))}
        <dt>Next prune</dt>
        <dd data-testid="retention-next">
          {next && (next.rows || next.attempts)
            ? `${num(next.rows)} deliveries and messages (${size(next.bytes)} of bodies)${next.attempts ? `, ${num(next.attempts)} attempt logs` : ''}`
            : 'nothing'}
          {next?.pinned ? <span className="muted"> · {num(next.pinned)} past the policy kept (marked keep, a fixture, or a release's)</span> : null}
        </dd>
        <dt>Space</dt>
        <dd className="muted">{VACUUM_TEXT[retention.vacuum]}</dd>
      </dl>
      {nextPrune && nextPrune.scopes.length > 0 ? (
        <table className="grid" aria-label="What the next prune removes">
          <thead>
            <tr>
              <th>Where</th>
              <th>Rows</th>
              <th>Bodies</th>
              <th>Kept</th>
            </tr>
          </thead>
          <tbody>
            {nextPrune.scopes.map((s) => (
              <tr key={`${s.scope}:${s.id}`}>
                <td>
                  {s.scope} {s.name ?? s.id}
                </td>
                <td>{num(s.rows + s.attempts)}</td>
                <td>{size(s.bytes)}</td>
                <td>{num(s.pinned)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="muted">Set it with hookbench retention set (days, deliveries, MB of bodies; per package, inbox or endpoint). Serve applies it every 10 minutes.</p>
    </section>
  );
}
