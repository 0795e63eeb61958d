import type { TunnelGap } from '../../../../shared/types';
import { shown } from '../../lib/bytes';
import { when } from '../../lib/format';
import { useTunnel } from '../../stores/tunnel-store';

const CAUSE: Record<TunnelGap['cause'], string> = {
  dropped: 'the stream dropped',
  stalled: 'the stream went silent',
  'not running': 'Hookbench was not reading the channel',
};

const span = (ms: number) => (ms < 1_000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);

/**
 * Windows in which no stream was read: smee answered the provider and kept nothing, so
 * deliveries then are lost unless asked for again. Each says who is at risk and what to do.
 */
export function TunnelGaps({ gaps }: { gaps: TunnelGap[] }) {
  const busy = useTunnel((s) => s.busy);
  const catchUp = useTunnel((s) => s.catchUp);
  const caughtUp = useTunnel((s) => s.caughtUp);
  if (gaps.length === 0) return null;
  const open = gaps.some((g) => g.caughtUpAt === null && g.hooks.some((h) => h.managed));
  return (
    <div className="tunnel-gaps" aria-label="Tunnel gaps">
      <div className="section-head">
        <h4>Gaps: deliveries may be lost</h4>
        {open ? (
          <button type="button" className="btn btn-small btn-primary" disabled={busy !== null} onClick={() => void catchUp()}>
            {busy === 'catch-up' ? 'Catching up…' : 'Catch up'}
          </button>
        ) : null}
      </div>
      {caughtUp ? (
        <p className="muted" role="status">
          Caught up {caughtUp.caughtUp.length} package(s): {caughtUp.caughtUp.reduce((n, r) => n + r.redelivered.length, 0)} redelivered,{' '}
          {caughtUp.caughtUp.reduce((n, r) => n + r.reconciled.length, 0)} tag(s) reconciled
          {caughtUp.failed.length ? `; not caught up: ${caughtUp.failed.map((f) => shown(`${f.packageId} (${f.reason})`)).join(', ')}` : ''}.
        </p>
      ) : null}
      <ul className="notes">
        {gaps.slice(0, 5).map((g) => (
          <li key={`${g.from}-${g.to}`} data-testid="tunnel-gap">
            <strong>
              {span(g.to - g.from)}, {when(g.from)} → {when(g.to)}
            </strong>{' '}
            ({CAUSE[g.cause]}){g.caughtUpAt !== null ? ` · caught up ${when(g.caughtUpAt)}` : ''}
            {g.hooks.length === 0 ? <div className="muted">No package's hook has used the tunnel yet.</div> : null}
            {g.hooks.map((h) => (
              <div key={h.hookId}>
                {shown(h.packageName)}: <span className="muted">{h.managed && g.caughtUpAt !== null ? 'caught up.' : shown(h.advice)}</span>
              </div>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
