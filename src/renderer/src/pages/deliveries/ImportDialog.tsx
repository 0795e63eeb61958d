import { ErrorNote } from '../../components/bits';
import { Dialog } from '../../components/Dialog';
import { ProgressBar } from '../../components/ProgressBar';
import { formatSize } from '../../lib/bytes';
import { useProgress } from '../../stores/progress-store';
import { importTask, useTransfer } from '../../stores/transfer-store';

/** Import a HAR file or a Hookbench bundle of any size: sent in pieces, then written with the engine's progress. */
export function ImportDialog() {
  const show = useTransfer((s) => s.show);
  const run = useTransfer((s) => s.runImport);
  const importing = useTransfer((s) => s.importing);
  const uploaded = useTransfer((s) => s.uploaded);
  const imported = useTransfer((s) => s.imported);
  const error = useTransfer((s) => s.importError);
  const name = importing ?? imported?.name ?? null;
  const progress = useProgress((s) => (name ? s.tasks[importTask(name)] : undefined));

  return (
    <Dialog label="Import deliveries" title="Import" onClose={() => show(null)}>
      <div className="form wide">
        <p>
          A HAR file (from a browser's network panel, or another webhook tool) or a Hookbench bundle. Each request joins the list marked
          as imported, bytes exactly as in the file; a file with a mistake is refused whole, naming the line or field.
        </p>
        <label>
          <span>File</span>
          <input
            type="file"
            aria-label="File to import"
            accept=".har,.json,.jsonl,.ndjson,application/json"
            disabled={importing !== null}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void run(file);
            }}
          />
        </label>
        {importing !== null ? <p className="muted">Importing {importing}…</p> : null}
        {uploaded && uploaded.total > 0 ? <ProgressBar label="Sent" done={uploaded.done} total={uploaded.total} format={formatSize} /> : null}
        {progress && name ? <ProgressBar label="Written" done={progress.done} total={progress.total} /> : null}
        <ErrorNote>{error}</ErrorNote>
        {imported ? (
          <p className="note-line" role="status" data-testid="import-result">
            Imported {imported.deliveries.toLocaleString()} {imported.deliveries === 1 ? 'delivery' : 'deliveries'}
            {imported.fixtures ? ` and ${imported.fixtures.toLocaleString()} ${imported.fixtures === 1 ? 'fixture' : 'fixtures'}` : ''} from {imported.name} (
            {imported.format === 'har' ? 'HAR' : 'bundle'}).
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
