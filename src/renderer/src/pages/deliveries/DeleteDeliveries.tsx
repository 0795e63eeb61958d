import { useState } from 'react';
import type { DeliveryDeletion } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { deletionText } from '../../lib/deletion-text';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useDeliveries } from '../../stores/deliveries-store';
import { cleanFilters, hasFilters } from '../../stores/delivery-filters';

type Target = { ids: number[] } | ReturnType<typeof cleanFilters>;

/** Deletes the selection, or every delivery the filters match: counted first, then confirmed. */
export function DeleteDeliveries() {
  const selected = useDeliveries((s) => s.selected);
  const filters = useDeliveries((s) => s.filters);
  const reload = useDeliveries((s) => s.reload);
  const clearSelection = useDeliveries((s) => s.clearSelection);
  const [plan, setPlan] = useState<{ target: Target; preview: DeliveryDeletion } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const target: Target | null = selected.size > 0 ? { ids: [...selected] } : hasFilters(filters) ? cleanFilters(filters) : null;
  if (!target && !plan && !done && !error) return null;

  const run = async (what: Target, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await call('deliveries.delete', { ...what, dryRun });
      if (dryRun) setPlan({ target: what, preview: result });
      else {
        setPlan(null);
        setDone(deletionText(result));
        clearSelection();
        reload();
      }
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="row wrap delete-deliveries">
      {plan ? (
        <span role="status" data-testid="delete-plan">
          {deletionText(plan.preview)}{' '}
          <button type="button" className="btn btn-small btn-danger" disabled={busy || plan.preview.deleted === 0} onClick={() => void run(plan.target, false)}>
            {busy ? 'Deleting…' : `Delete ${plan.preview.deleted.toLocaleString()}`}
          </button>{' '}
          <button type="button" className="btn btn-small" onClick={() => setPlan(null)}>
            Cancel
          </button>
        </span>
      ) : target ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => {
            setDone(null);
            void run(target, true);
          }}
          title="Counts first; nothing is deleted until you confirm"
        >
          {'ids' in target ? `Delete selected (${target.ids.length.toLocaleString()})…` : 'Delete matching…'}
        </button>
      ) : null}
      {done ? (
        <span className="muted" role="status" data-testid="delete-done">
          {done}
        </span>
      ) : null}
      <ErrorNote>{error}</ErrorNote>
    </div>
  );
}
