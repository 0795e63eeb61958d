import { Badge } from '../../components/bits';
import { millis, percent } from '../../lib/format';
import { useEndpoints } from '../../stores/endpoints-store';

export function EndpointList() {
  const endpoints = useEndpoints((s) => s.endpoints);
  const selectedId = useEndpoints((s) => s.selectedId);
  const mode = useEndpoints((s) => s.mode);
  const select = useEndpoints((s) => s.select);
  return (
    <ul className="list" aria-label="Endpoints">
      {endpoints.map((e) => (
        <li key={e.id}>
          <button type="button" className={`list-item endpoint-item ${e.id === selectedId && mode.kind !== 'create' ? 'active' : ''}`} onClick={() => select(e.id)}>
            <span className="title ellipsis">{e.name}</span>
            <Badge tone={e.active ? 'ok' : 'bad'} title={e.disabledReason ?? undefined}>
              {e.active ? 'active' : 'disabled'}
            </Badge>
            <span className="muted ellipsis mono url">{e.url}</span>
            <span className="muted stats-line">
              {percent(e.stats.successRate)} ok · p50 {millis(e.stats.p50Ms)} · p99 {millis(e.stats.p99Ms)} · last {e.stats.lastStatus ?? (e.stats.lastAttemptAt ? 'error' : '—')}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
