import { useState } from 'react';
import { Badge, Empty, outcomeTone, when } from '../components/bits';
import { useApp } from '../stores/app-store';
import { DeliveryDetail } from './DeliveryDetail';

export function DeliveriesPage() {
  const deliveries = useApp((s) => s.deliveries);
  const [selected, setSelected] = useState<number | null>(null);

  return (
    <div className="split">
      <aside className="list-pane wide">
        <div className="pane-head">
          <h2>Deliveries</h2>
          <span className="muted">{deliveries.length} shown · live</span>
        </div>
        {deliveries.length === 0 ? (
          <Empty title="No deliveries yet">Every request to a hook URL lands here, accepted or not, with the exact bytes received.</Empty>
        ) : (
          <table className="grid clickable-rows" aria-label="Deliveries">
            <thead>
              <tr>
                <th>#</th>
                <th>Received</th>
                <th>Event</th>
                <th>Tag</th>
                <th>Signature</th>
                <th>Status</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} className={selected === d.id ? 'active' : ''} onClick={() => setSelected(d.id)}>
                  <td>{d.id}</td>
                  <td>{when(d.receivedAt)}</td>
                  <td>{d.event ?? '—'}</td>
                  <td>{d.tag ?? ''}</td>
                  <td>
                    <Badge tone={outcomeTone(d.verdict)}>{d.verdict}</Badge>
                  </td>
                  <td>{d.statusCode}</td>
                  <td>
                    <Badge tone={outcomeTone(d.outcome)}>{d.outcome}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </aside>
      <main className="main-pane">{selected ? <DeliveryDetail id={selected} /> : <Empty title="Pick a delivery to see its headers, body and verdict" />}</main>
    </div>
  );
}
