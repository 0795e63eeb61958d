import { useState } from 'react';
import { CopyButton, ErrorNote } from '../../components/bits';
import { Dialog } from '../../components/Dialog';
import { ProgressBar } from '../../components/ProgressBar';
import { RadioGroup } from '../../components/RadioGroup';
import { formatSize } from '../../lib/bytes';
import { hasFilters } from '../../stores/delivery-filters';
import { useDeliveries } from '../../stores/deliveries-store';
import { FORMATS, useTransfer, type Exported, type ExportFormat, type ExportScope } from '../../stores/transfer-store';

function download(file: Exported): void {
  const a = document.createElement('a');
  a.href = file.url;
  a.download = file.filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/** Export the open, the selected or the filtered deliveries as HAR, cURL or a bundle. */
export function ExportDialog() {
  const openId = useDeliveries((s) => s.openId);
  const selected = useDeliveries((s) => s.selected.size);
  const filters = useDeliveries((s) => s.filters);
  const total = useDeliveries((s) => (s.exhausted ? s.rows.length : s.total));
  const show = useTransfer((s) => s.show);
  const run = useTransfer((s) => s.runExport);
  const exporting = useTransfer((s) => s.exporting);
  const collected = useTransfer((s) => s.collected);
  const exported = useTransfer((s) => s.exported);
  const error = useTransfer((s) => s.exportError);
  const [scope, setScope] = useState<ExportScope>(selected > 0 ? 'selected' : openId !== null ? 'open' : 'filtered');
  const [format, setFormat] = useState<ExportFormat>('har');
  const [withFixtures, setWithFixtures] = useState(false);
  const filtered = hasFilters(filters);
  const count = total === null ? '' : ` (${total.toLocaleString()})`;

  const go = async () => {
    const file = await run(scope, format, withFixtures);
    if (file) download(file);
  };

  return (
    <Dialog label="Export deliveries" title="Export" onClose={() => show(null)}>
      <form
        className="form wide"
        onSubmit={(e) => {
          e.preventDefault();
          void go();
        }}
      >
        <RadioGroup<ExportScope>
          legend="Which"
          value={scope}
          onChange={setScope}
          options={[
            { id: 'open', label: openId !== null ? `The open delivery (#${openId})` : 'The open delivery', disabled: openId === null },
            { id: 'selected', label: `The selected ones (${selected.toLocaleString()})`, disabled: selected === 0 },
            { id: 'filtered', label: filtered ? `All that match the filters${count}` : `Every delivery${count}` },
          ]}
        />
        {selected === 0 ? <p className="muted note">Ctrl-click rows (or press x on one) to select several.</p> : null}
        <RadioGroup<ExportFormat>
          legend="As"
          value={format}
          onChange={setFormat}
          options={(Object.keys(FORMATS) as ExportFormat[]).map((id) => ({ id, label: FORMATS[id].label }))}
        />
        {format === 'json' ? (
          <label className="check">
            <input type="checkbox" checked={withFixtures} onChange={(e) => setWithFixtures(e.target.checked)} />
            Include the saved fixtures
          </label>
        ) : null}
        <p className="muted note">Secrets never leave: credentials in headers are redacted; signatures stay as they were received.</p>
        {collected ? <ProgressBar label="Collecting" done={collected.done} total={collected.total} /> : null}
        <ErrorNote>{error}</ErrorNote>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export and download'}
          </button>
        </div>
      </form>
      {exported && !exporting ? (
        <div className="note-line export-done" role="status" data-testid="export-result">
          Exported {exported.count.toLocaleString()} {exported.count === 1 ? 'delivery' : 'deliveries'} as {FORMATS[exported.format].label} ({formatSize(exported.bytes)}).{' '}
          <a href={exported.url} download={exported.filename}>
            Download {exported.filename}
          </a>{' '}
          <CopyButton text={exported.text} label="Copy to clipboard" />
        </div>
      ) : null}
    </Dialog>
  );
}
