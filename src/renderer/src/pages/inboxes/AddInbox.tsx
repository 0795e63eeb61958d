import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/bits';
import { Field } from '../../components/Field';
import { HelpText } from '../../components/HelpText';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useDialects } from '../../stores/dialects-store';
import { useInboxes } from '../../stores/inboxes-store';
import { parseTolerance } from './tolerance';

/** Captured without checking a signature. */
const NO_DIALECT = 'none';

export function AddInbox({ onDone }: { onDone(): void }) {
  const dialects = useDialects((s) => s.dialects);
  const [name, setName] = useState('');
  const [dialect, setDialect] = useState('standard-webhooks');
  const [secret, setSecret] = useState('');
  const [tolerance, setTolerance] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = dialects.find((d) => d.name === dialect);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const toleranceSeconds = parseTolerance(tolerance);
    if (toleranceSeconds === 'invalid') return setError('Tolerance is a whole number of seconds (0 to 2,592,000), or empty for the dialect’s own.');
    setBusy(true);
    try {
      const made = await call('inboxes.add', {
        name: name.trim(),
        dialect,
        ...(secret.trim() && dialect !== NO_DIALECT ? { secret: secret.trim() } : {}),
        ...(toleranceSeconds !== null ? { toleranceSeconds } : {}),
      });
      const store = useInboxes.getState();
      await store.load();
      store.select(made.id);
      // A secret typed in is the person's own; a generated one exists only here, this once.
      if (made.secret && !secret.trim()) store.showSecret({ ...made, reason: 'created' });
      onDone();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="Add inbox">
      <h3>Add an inbox</h3>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="stripe test mode" maxLength={200} required />
      </label>
      <Field label="Dialect" hint={chosen ? `Signed as ${chosen.label} signs: ${chosen.headers.join(', ')}.` : 'Every request is kept; no signature is checked.'}>
        {(id) => (
          <select id={id} value={dialect} onChange={(e) => setDialect(e.target.value)}>
            {dialects.map((d) => (
              <option key={d.name} value={d.name}>
                {d.label}
              </option>
            ))}
            <option value={NO_DIALECT}>None (capture without checking)</option>
          </select>
        )}
      </Field>
      {dialect !== NO_DIALECT ? (
        <Field
          label="Secret (optional)"
          hint={
            chosen ? (
              <>
                Empty: Hookbench makes one in the dialect's own form (<HelpText text={chosen.secret} />) and shows it once.
              </>
            ) : undefined
          }
        >
          {(id) => <input id={id} className="mono" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      ) : null}
      {chosen?.timestampFormat ? (
        <Field label="Timestamp tolerance in seconds (optional)" hint="Empty: the dialect's own rule.">
          {(id) => <input id={id} inputMode="numeric" value={tolerance} onChange={(e) => setTolerance(e.target.value)} placeholder="300" />}
        </Field>
      ) : null}
      <ErrorNote>{error}</ErrorNote>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Add inbox
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
