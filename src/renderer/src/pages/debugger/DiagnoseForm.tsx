import type { FormEvent } from 'react';
import { Empty, ErrorNote } from '../../components/bits';
import { DiagnosisView } from '../../components/DiagnosisView';
import { formatSize } from '../../lib/bytes';
import { useDebugger } from '../../stores/debugger-store';
import { DialectSelect } from './DialectSelect';

const HEADERS_PLACEHOLDER = `X-GitHub-Event: push
X-Hub-Signature-256: sha256=…

or JSON: {"X-Hub-Signature-256": "sha256=…"}`;

export function DiagnoseForm() {
  const form = useDebugger((s) => s.form);
  const edit = useDebugger((s) => s.edit);
  const diagnose = useDebugger((s) => s.diagnose);
  const diagnosis = useDebugger((s) => s.diagnosis);
  const error = useDebugger((s) => s.diagnoseError);
  const busy = useDebugger((s) => s.diagnosing);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void diagnose();
  };

  return (
    <div className="two-col">
      <form className="card form wide" aria-label="Diagnose a signature" onSubmit={submit}>
        <p className="muted">
          Paste a request exactly as it arrived. Hookbench finds the dialect, rebuilds what the sender signed and says why the signature
          does or does not match.
        </p>
        <label>
          Headers
          <textarea className="mono" rows={7} spellCheck={false} placeholder={HEADERS_PLACEHOLDER} value={form.headers} onChange={(e) => edit({ headers: e.target.value })} />
        </label>
        <label>
          Body
          <textarea className="mono" rows={8} spellCheck={false} placeholder='{"ref":"refs/tags/v1.0.0", …}' value={form.body} onChange={(e) => edit({ body: e.target.value })} />
        </label>
        {form.exact ? (
          <p className="note ok-note" data-testid="exact-body">
            Using the exact {formatSize(form.exact.length)} from {form.exact.origin}. Editing the body sends your text instead.
          </p>
        ) : (
          <p className="note muted">The body is sent as UTF-8, byte for byte as typed: do not re-indent it.</p>
        )}
        <label>
          <span>
            Secrets <span className="muted">(optional, one per line; tried in order)</span>
          </span>
          <textarea className="mono" rows={2} spellCheck={false} value={form.secrets} onChange={(e) => edit({ secrets: e.target.value })} />
        </label>
        {form.stored ? (
          <label className="check" data-testid="use-stored-secret">
            <input type="checkbox" checked={form.useStored} onChange={(e) => edit({ useStored: e.target.checked })} />
            <span>
              Check with {form.stored.label}'s stored secret too <span className="muted">(Hookbench checks with it; it is never shown here)</span>
            </span>
          </label>
        ) : null}
        <DialectSelect value={form.dialect} onChange={(dialect) => edit({ dialect })} anyLabel="Detect from the headers" />
        <ErrorNote>{error}</ErrorNote>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Diagnosing…' : 'Diagnose'}
          </button>
        </div>
      </form>
      <section className="card result" aria-label="Result">
        {diagnosis ? (
          <DiagnosisView diagnosis={diagnosis} />
        ) : (
          <Empty title="The diagnosis appears here">
            Without a secret you still see the detected dialect and the exact bytes that were signed. Add the secret to learn whether it
            matches, and if not, whether the body was re-serialized, the secret mis-encoded or the timestamp too old. Or open any
            delivery and press “Open in debugger”.
          </Empty>
        )}
      </section>
    </div>
  );
}
