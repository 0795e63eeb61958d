import type { TunnelStatus } from '../../../../shared/types';
import { useNow } from '../../hooks/useNow';
import { shown } from '../../lib/bytes';
import { ago, when } from '../../lib/format';

const at = (ms: number | null, now: number) => (ms === null ? 'never' : `${ago(ms, now)} (${when(ms)})`);

/** Up since when; once down, when it was last up and when it went down ("never" only if it never was). */
function connected(s: TunnelStatus, now: number): string {
  if (s.connectedAt !== null) return `since ${at(s.connectedAt, now)}`;
  if (s.lastConnectedAt === null) return 'never';
  return `not now · last connected ${at(s.lastConnectedAt, now)}${s.disconnectedAt !== null ? ` · disconnected at ${when(s.disconnectedAt)}` : ''}`;
}

/** Every field of the tunnel's status, in words. */
export function TunnelStatusList({ status: s }: { status: TunnelStatus }) {
  const now = useNow(2000);
  return (
    <dl className="kv compact" aria-label="Tunnel status">
      <dt>Server</dt>
      <dd className="mono">{s.server ?? '—'}</dd>
      <dt>Turned</dt>
      <dd>{s.enabled ? 'on' : 'off (disconnected by hand)'}</dd>
      <dt>Hook URLs</dt>
      <dd>{s.hookUrlsViaTunnel ? <span className="mono">{s.hookUrlBase}/hooks/…</span> : 'point at the local receiver'}</dd>
      <dt>Connected</dt>
      <dd data-testid="tunnel-connected">{connected(s, now)}</dd>
      <dt>Last event</dt>
      <dd data-testid="tunnel-last-event">{at(s.lastEventAt, now)}</dd>
      <dt>Last ping</dt>
      <dd>{at(s.lastPingAt, now)}</dd>
      <dt>Events</dt>
      <dd className="num" data-testid="tunnel-events">
        {s.events.toLocaleString()} taken{s.dropped ? `, ${s.dropped.toLocaleString()} dropped (no or unknown hook id)` : ''}
      </dd>
      <dt>Reconnects</dt>
      <dd className="num">
        {s.reconnects.toLocaleString()}
        {s.nextRetryAt ? ` · next try ${ago(s.nextRetryAt, now).replace(' ago', '')} from now` : ''}
      </dd>
      <dt>Last error</dt>
      <dd className={s.lastError ? 'tone-bad' : ''}>{s.lastError ? `${shown(s.lastError)} · ${at(s.lastErrorAt, now)}` : 'none'}</dd>
      <dt>Reported</dt>
      <dd className="muted">
        {s.source === 'live' ? 'live' : `as saved by process ${s.pid ?? '?'}`} · {ago(s.updatedAt, now)}
      </dd>
    </dl>
  );
}
