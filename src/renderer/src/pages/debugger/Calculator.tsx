import type { FormEvent } from 'react';
import { ErrorNote } from '../../components/bits';
import { useDebugger } from '../../stores/debugger-store';
import { useDialects } from '../../stores/dialects-store';
import { DialectSelect } from './DialectSelect';
import { SignedResult } from './SignedResult';
import { Field } from '../../components/Field';
import { HelpText } from '../../components/HelpText';

export function Calculator() {
  const sign = useDebugger((s) => s.sign);
  const edit = useDebugger((s) => s.editSign);
  const run = useDebugger((s) => s.runSign);
  const error = useDebugger((s) => s.signError);
  const dialect = useDialects((s) => s.dialects.find((d) => d.name === sign.dialect));
  // Repsy's timestamp is text: a captured one is signed exactly as it was sent.
  const isoTimestamp = dialect?.timestampFormat === 'iso-8601';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };

  return (
    <div className="two-col">
      <form className="card form wide" aria-label="Sign a request" onSubmit={submit}>
        <p className="muted">Sign any body in any dialect: the headers a real sender would add, and a cURL command that sends it.</p>
        <div className="form-grid">
          <DialectSelect value={sign.dialect} onChange={(d) => edit({ dialect: d, event: '' })} />
          <Field label="Event">
            {(id) => (
              <select id={id} value={sign.event} onChange={(e) => edit({ event: e.target.value })}>
                <option value="">None (optional)</option>
                {[...new Set(dialect?.events.map((e) => e.name) ?? [])].map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <label>
          Secret
          <input className="mono" value={sign.secret} onChange={(e) => edit({ secret: e.target.value })} spellCheck={false} autoComplete="off" />
          {dialect ? <span className="hint-text"><HelpText text={dialect.secret} /></span> : null}
        </label>
        <label>
          Body
          <textarea className="mono" rows={7} spellCheck={false} value={sign.body} onChange={(e) => edit({ body: e.target.value })} />
        </label>
        <div className="form-grid three">
          <label>
            <span>
              Message id <span className="muted">(optional)</span>
            </span>
            <input className="mono" value={sign.id} onChange={(e) => edit({ id: e.target.value })} placeholder="msg_…" />
          </label>
          <label>
            <span>
              Timestamp <span className="muted">(Unix s{isoTimestamp ? ', or ISO 8601 as sent' : ''})</span>
            </span>
            <input
              className="mono"
              value={sign.timestamp}
              onChange={(e) => edit({ timestamp: e.target.value })}
              placeholder={isoTimestamp ? 'now, or 2026-06-24T10:00:00.001000Z' : 'now'}
            />
          </label>
          <label>
            <span>
              URL for cURL <span className="muted">(optional)</span>
            </span>
            <input className="mono" value={sign.url} onChange={(e) => edit({ url: e.target.value })} placeholder="http://127.0.0.1:8080/webhook" />
          </label>
        </div>
        <ErrorNote>{error}</ErrorNote>
        <div className="row">
          <button type="submit" className="btn btn-primary">
            Sign
          </button>
        </div>
      </form>
      <SignedResult />
    </div>
  );
}
