import { useEffect } from 'react';
import { Badge, statusTone } from '../../components/bits';
import { millis, shortTime, when } from '../../lib/format';
import { useDeliveries } from '../../stores/deliveries-store';
import { useReplay } from '../../stores/replay-store';

/** Every replay of this delivery: when, how, where to, and what it became. */
export function ReplayHistory({ id }: { id: number }) {
  const ref = `delivery:${id}`;
  const list = useReplay((s) => s.history[ref]);
  const load = useReplay((s) => s.loadHistory);
  const open = useDeliveries((s) => s.open);
  useEffect(() => {
    void load(ref);
  }, [ref, load]);
  if (!list || list.length === 0) return null;
  return (
    <section className="card" aria-label="Replays">
      <h3>
        Replays <span className="muted">{list.length}</span>
      </h3>
      <table className="grid" aria-label="Replays of this delivery">
        <thead>
          <tr>
            <th>When</th>
            <th>Mode</th>
            <th>To</th>
            <th>Status</th>
            <th>Duration</th>
            <th>Became</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id}>
              <td className="mono nowrap" title={when(r.createdAt)}>
                {shortTime(r.createdAt)}
              </td>
              <td>{r.mode}</td>
              <td className="mono ellipsis-cell" title={r.targetUrl}>
                {r.targetUrl.startsWith('hookbench:') ? 'this Hookbench' : r.targetUrl}
              </td>
              <td>
                <Badge tone={r.error ? 'bad' : statusTone(r.status)}>{r.status ?? 'error'}</Badge>
              </td>
              <td className="num">{millis(r.durationMs)}</td>
              <td>
                {r.deliveryId !== null ? (
                  <button type="button" className="link" onClick={() => open(r.deliveryId)}>
                    #{r.deliveryId}
                  </button>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
