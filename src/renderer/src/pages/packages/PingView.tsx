import type { PingResult } from '../../../../shared/types';
import { Badge } from '../../components/bits';
import { shown } from '../../lib/bytes';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';

export function PingView({ ping: p }: { ping: PingResult }) {
  const open = (id: number) => {
    useDeliveries.getState().open(id);
    useNav.getState().go('deliveries');
  };
  return (
    <div className="card op-result" role="status" aria-label="Ping result">
      <div className="row wrap">
        <strong>Ping</strong>
        <Badge tone={p.arrived ? (p.verified ? 'ok' : 'warn') : 'bad'}>{p.arrived ? (p.verified ? 'arrived, verified' : 'arrived, not verified') : 'did not arrive'}</Badge>
        {p.delivery ? (
          <button type="button" className="link" onClick={() => open(p.delivery!.id)}>
            delivery #{p.delivery.id}
          </button>
        ) : null}
      </div>
      <p>{shown(p.message)}</p>
      {p.provider ? (
        <p className="muted">
          The provider recorded it as {shown(p.provider.status)} (HTTP {p.provider.statusCode})
          {p.provider.deliveredAt !== null ? ` at ${new Date(p.provider.deliveredAt).toLocaleString()}` : ''}.
        </p>
      ) : null}
    </div>
  );
}
