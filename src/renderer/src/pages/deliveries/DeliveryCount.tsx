import { num } from '../../lib/format';
import { useDeliveries } from '../../stores/deliveries-store';

/** How many deliveries match, counted by the engine and kept current as new ones arrive. */
export function DeliveryCount({ noun = ['delivery', 'deliveries'] }: { noun?: [string, string] }) {
  const rows = useDeliveries((s) => s.rows.length);
  const total = useDeliveries((s) => s.total);
  const exhausted = useDeliveries((s) => s.exhausted);
  const loading = useDeliveries((s) => s.loading);
  const n = exhausted ? rows : Math.max(total ?? 0, rows);
  return (
    <span className="muted" data-testid="delivery-count">
      {total === null && !exhausted ? 'counting…' : `${num(n)} ${n === 1 ? noun[0] : noun[1]}`}
      {loading ? ' · loading' : ''}
    </span>
  );
}
