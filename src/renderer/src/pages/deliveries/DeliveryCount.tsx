import type { DeliverySummary } from '../../../../shared/types';
import { num } from '../../lib/format';
import { useDeliveries } from '../../stores/deliveries-store';

/**
 * Until the engine has counted every match (a full scan with a text filter, on a big store): as
 * many as the loaded rows suggest. Ids grow with time, so the share of ids the first rows span
 * that matched, applied to every id below the newest, is a fair guess.
 */
export function estimateTotal(rows: DeliverySummary[]): number | null {
  const newest = rows[0];
  const oldest = rows[rows.length - 1];
  if (!newest || !oldest || rows.length < 2) return null;
  const spanned = newest.id - oldest.id + 1;
  return Math.max(rows.length, Math.round((rows.length / spanned) * newest.id));
}

/** How many deliveries match, counted by the engine and kept current as new ones arrive. */
export function DeliveryCount({ noun = ['delivery', 'deliveries'] }: { noun?: [string, string] }) {
  const rows = useDeliveries((s) => s.rows);
  const total = useDeliveries((s) => s.total);
  const exhausted = useDeliveries((s) => s.exhausted);
  const loading = useDeliveries((s) => s.loading);
  const n = exhausted ? rows.length : Math.max(total ?? 0, rows.length);
  const guess = total === null && !exhausted ? estimateTotal(rows) : null;
  let text: string;
  if (guess !== null) text = `about ${num(guess)} ${guess === 1 ? noun[0] : noun[1]}`;
  else if (total === null && !exhausted) text = 'counting…';
  else text = `${num(n)} ${n === 1 ? noun[0] : noun[1]}`;
  return (
    <span className="muted" data-testid="delivery-count" title={guess !== null ? 'Estimated from the first rows; the exact count follows.' : undefined}>
      {text}
      {loading ? ' · loading' : ''}
    </span>
  );
}
