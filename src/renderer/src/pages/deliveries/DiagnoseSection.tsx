import { useEffect, useRef, useState } from 'react';
import type { Diagnosis, VerdictDetail } from '../../../../shared/types';
import { Badge, ErrorNote, outcomeTone } from '../../components/bits';
import { DiagnosisView } from '../../components/DiagnosisView';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { shown } from '../../lib/bytes';

/** The receiver's scheme for a GitHub delivery that carried only the SHA-1 X-Hub-Signature. */
const LEGACY_SCHEME = 'github-sha1';

interface Props {
  id: number;
  verdict: string;
  detail: VerdictDetail | null;
}

/** The stored verdict, and on request (or at once when it failed) the engine's diagnosis. */
export function DiagnoseSection({ id, verdict, detail }: Props) {
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const failed = verdict === 'invalid' || verdict === 'missing';
  const current = useRef(id);

  const run = async () => {
    const asked = id;
    setBusy(true);
    setError(null);
    try {
      const result = await call('deliveries.diagnose', { id: asked });
      if (current.current === asked) setDiagnosis(result);
    } catch (e) {
      if (current.current === asked) setError(describeError(e));
    } finally {
      if (current.current === asked) setBusy(false);
    }
  };

  useEffect(() => {
    current.current = id;
    setBusy(false);
    setDiagnosis(null);
    setError(null);
    if (failed) void run();
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section className="card" aria-label="Signature">
      <div className="section-head">
        <h3>
          Signature <Badge tone={outcomeTone(verdict)}>{verdict}</Badge>
          {detail?.scheme === LEGACY_SCHEME ? (
            <>
              {' '}
              <Badge tone="warn">legacy SHA-1 only</Badge>
            </>
          ) : null}
        </h3>
        <button type="button" className="btn btn-small" onClick={() => void run()} disabled={busy}>
          {busy ? 'Diagnosing…' : diagnosis ? 'Diagnose again' : 'Diagnose'}
        </button>
      </div>
      {detail ? (
        <dl className="kv">
          <dt>Why</dt>
          <dd data-testid="verdict-reason">{shown(detail.reason)}</dd>
          {detail.header ? (
            <>
              <dt>Header</dt>
              <dd className="mono">{shown(detail.header)}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="muted">The receiver did not check a signature on this delivery.</p>
      )}
      <ErrorNote>{error}</ErrorNote>
      {diagnosis ? (
        <>
          <h4 className="sub">Diagnosis</h4>
          <DiagnosisView diagnosis={diagnosis} />
        </>
      ) : null}
    </section>
  );
}
