import type { Cause, Diagnosis } from '../../../shared/types';
import { formatSize, shown } from '../lib/bytes';
import { Badge, CopyButton, outcomeTone } from './bits';

const CAUSES: Record<Cause, string> = {
  wrong_secret: 'Wrong secret',
  body_reserialized: 'Body changed after signing (re-serialized JSON)',
  body_changed: 'Body changed after signing (newline, byte-order mark or line endings)',
  form_vs_json: 'Signed as form data, received as JSON (or the reverse)',
  secret_encoding: 'Secret used in the wrong encoding',
  hex_vs_base64: 'Signature in the wrong encoding (hex vs base64)',
  prefix: 'Signature prefix is wrong or missing',
  timestamp: 'Timestamp outside the tolerance',
  timestamp_unit: 'Timestamp in the wrong unit or format',
  malformed_timestamp: 'Timestamp header is malformed',
  malformed_signature: 'Signature header is malformed',
  legacy_signature: 'Only the legacy SHA-1 signature was sent',
  duplicate_header: 'Signature header sent more than once',
  misspelled_header: 'Signature header misspelled',
  no_signature: 'No signature header',
  unknown_dialect: 'Unknown dialect',
};

function headline(d: Diagnosis): string {
  if (d.cause) return CAUSES[d.cause] ?? d.cause;
  if (d.verdict === 'valid') return 'Signature is valid';
  if (d.verdict === 'unchecked') return 'Not checked yet';
  return 'No cause found';
}

/** What was signed, what was expected, and what to change. All text nodes. */
export function DiagnosisView({ diagnosis: d }: { diagnosis: Diagnosis }) {
  return (
    <div className="diagnosis" aria-label="Diagnosis">
      <div className="diagnosis-head">
        <Badge tone={outcomeTone(d.verdict)}>{d.verdict}</Badge>
        <strong data-testid="diagnosis-cause">{headline(d)}</strong>
        <span className="muted">
          {d.dialect ? `dialect ${d.dialect}` : 'no dialect detected'}
          {d.detected.length > 1 ? ` · also looks like ${d.detected.filter((x) => x !== d.dialect).join(', ')}` : ''}
        </span>
      </div>
      <p data-testid="diagnosis-explanation">{shown(d.explanation)}</p>
      {d.fix ? (
        <div className="fix" data-testid="diagnosis-fix">
          <strong>Fix: </strong>
          {shown(d.fix)}
        </div>
      ) : null}
      <dl className="kv">
        {d.matchedSecret ? (
          <>
            <dt>Matched</dt>
            <dd>{d.matchedSecret}</dd>
          </>
        ) : null}
        {d.skewSeconds !== null ? (
          <>
            <dt>Clock skew</dt>
            <dd>{d.skewSeconds} s</dd>
          </>
        ) : null}
        <dt>{d.reconstruction ? 'Expected (over the reconstruction)' : 'Expected'}</dt>
        <dd>
          <code className="sig" data-testid="diagnosis-expected">
            {shown(d.expected) || '—'}
          </code>
        </dd>
        <dt>Received</dt>
        <dd>
          <code className={`sig ${d.expected && d.received && d.expected !== d.received ? 'sig-diff' : ''}`} data-testid="diagnosis-received">
            {shown(d.received) || '—'}
          </code>
        </dd>
      </dl>
      {d.signedBytes ? (
        <div className="signed-bytes">
          <div className="section-head">
            <h4>
              Signed bytes <span className="muted">({formatSize(d.signedBytes.length)}{d.signedBytes.truncated ? ', first 64 KiB shown' : ''})</span>
              {d.reconstruction ? (
                <span className="muted" data-testid="signed-bytes-source">
                  {' '}
                  · the body {shown(d.reconstruction)}, the reconstruction that matched (not the bytes received)
                </span>
              ) : null}
            </h4>
            <CopyButton text={d.signedBytes.text} />
          </div>
          <pre className="body small" data-testid="signed-bytes">
            {d.signedBytes.text}
          </pre>
        </div>
      ) : null}
      {d.untried.length > 0 ? (
        <div className="untried" data-testid="diagnosis-untried">
          <strong>Not tried: </strong>
          {d.untried.map((t) => shown(t)).join(' ')}
        </div>
      ) : null}
      {d.tried.length > 0 ? (
        <details className="tried">
          <summary>{d.tried.length} reconstructions tried</summary>
          <ul>
            {d.tried.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
