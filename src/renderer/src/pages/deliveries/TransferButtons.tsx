import { Suspense } from 'react';
import { useDeliveries } from '../../stores/deliveries-store';
import { useTransfer } from '../../stores/transfer-store';
import { ExportDialog, ImportDialog } from '../lazy';
import { DeleteDeliveries } from './DeleteDeliveries';

/** The selection, and export and import of the list. */
export function TransferButtons() {
  const selected = useDeliveries((s) => s.selected.size);
  const clear = useDeliveries((s) => s.clearSelection);
  const show = useTransfer((s) => s.show);
  const exportOpen = useTransfer((s) => s.exportOpen);
  const importOpen = useTransfer((s) => s.importOpen);
  return (
    <div className="row">
      {selected > 0 ? (
        <span className="muted" data-testid="selection">
          {selected.toLocaleString()} selected ·{' '}
          <button type="button" className="link" onClick={clear}>
            Clear selection
          </button>
        </span>
      ) : null}
      <DeleteDeliveries />
      <button type="button" className="btn btn-small" onClick={() => show('export')} title="HAR, cURL or a Hookbench bundle">
        Export…
      </button>
      <button type="button" className="btn btn-small" onClick={() => show('import')} title="A HAR file or a Hookbench bundle">
        Import…
      </button>
      <Suspense fallback={null}>
        {exportOpen ? <ExportDialog /> : null}
        {importOpen ? <ImportDialog /> : null}
      </Suspense>
    </div>
  );
}
