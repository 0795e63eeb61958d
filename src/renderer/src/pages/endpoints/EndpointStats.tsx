import type { EndpointStats as Stats } from '../../../../shared/types';
import { statusTone } from '../../components/bits';
import { ago, millis, percent } from '../../lib/format';

export function EndpointStats({ stats, active }: { stats: Stats; active: boolean }) {
  const tiles: [string, string, string?][] = [
    ['Success rate', percent(stats.successRate), stats.attempts ? `${stats.succeeded.toLocaleString()} of ${stats.attempts.toLocaleString()} attempts` : 'no attempts yet'],
    ['p50', millis(stats.p50Ms), 'median latency'],
    ['p99', millis(stats.p99Ms), 'last 1,000 attempts'],
    ['Last status', stats.lastStatus === null ? (stats.lastAttemptAt ? 'error' : '—') : String(stats.lastStatus), ago(stats.lastAttemptAt)],
    ['Failed', stats.failedMessages.toLocaleString(), 'messages given up on'],
    ['Pending', stats.pendingMessages.toLocaleString(), active ? 'waiting or retrying' : 'kept until enabled'],
  ];
  return (
    <section className="tiles" aria-label="Endpoint statistics">
      {tiles.map(([name, value, sub]) => (
        <div key={name} className="tile">
          <span className="muted">{name}</span>
          <strong className={name === 'Last status' && stats.lastAttemptAt ? `tone-${statusTone(stats.lastStatus)}` : name === 'Failed' && stats.failedMessages ? 'tone-bad' : ''}>{value}</strong>
          {sub ? <span className="muted small">{sub}</span> : null}
        </div>
      ))}
    </section>
  );
}
