import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/bits';
import { ReplayResult } from '../../components/ReplayResult';
import { useReplay } from '../../stores/replay-store';
import { ReplayEditor } from './ReplayEditor';
import { ReplayOptions } from './ReplayOptions';
import { ReplayPreviewTable } from './ReplayPreviewTable';

/** Replay a delivery or an attempt: exact, re-signed or edited; into this Hookbench or at any URL. */
export function ReplayDialog() {
  const source = useReplay((s) => s.source);
  const form = useReplay((s) => s.form);
  const sending = useReplay((s) => s.sending);
  const result = useReplay((s) => s.result);
  const landed = useReplay((s) => s.landed);
  const error = useReplay((s) => s.error);
  const run = useReplay((s) => s.run);
  const close = useReplay((s) => s.close);
  if (!source) return null;
  return (
    <Dialog label={`Replay ${source.label}`} title={`Replay ${source.label}`} onClose={close} wide>
      <form
        className="form wide"
        aria-label="Replay options"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <ReplayOptions source={source} />
        {form.mode === 'edit' ? <ReplayEditor source={source} /> : null}
        <ReplayPreviewTable source={source} form={form} />
        <ErrorNote>{error}</ErrorNote>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={sending}>
            {sending ? 'Sending…' : 'Send replay'}
          </button>
          <span className="muted">Each replay is recorded with what was sent and what came back.</span>
        </div>
      </form>
      {result ? <ReplayResult replay={result} landed={landed} onNavigate={close} /> : null}
    </Dialog>
  );
}
