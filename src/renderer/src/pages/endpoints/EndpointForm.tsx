import { useState, type FormEvent } from 'react';
import { HIDDEN } from '../../../../shared/secret-headers';
import { ENGINE_EVENTS, type EndpointSummary } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { HelpText } from '../../components/HelpText';
import { describeError } from '../../lib/errors';
import { compactDelay } from '../../lib/format';
import { call } from '../../stores/connection-store';
import { useDialects } from '../../stores/dialects-store';
import { useEndpoints } from '../../stores/endpoints-store';
import { DialectSelect } from '../debugger/DialectSelect';
import { EventPicker } from './EventPicker';
import { RetryField } from './RetryField';
import { errorAt, fieldOfEngineError, type EndpointField, type FieldErrors } from './form/field-errors';
import { FieldProblem } from './form/FieldProblem';
import { FormatField } from './form/FormatField';
import { RelayField } from './form/RelayField';
import { SendingFields } from './form/SendingFields';
import { checkDraft, recheck, toFields, type EndpointDraft } from './form/validate';

function initialDraft(endpoint: EndpointSummary | undefined): EndpointDraft {
  return {
    name: endpoint?.name ?? '',
    url: endpoint?.url ?? '',
    dialect: endpoint?.dialect ?? 'standard-webhooks',
    events: endpoint?.events ?? ['release.published'],
    retry: { mode: endpoint?.retryDelays ? 'custom' : 'default', text: endpoint?.retryDelays?.map(compactDelay).join(', ') ?? '' },
    sending: { timeoutSeconds: String((endpoint?.timeoutMs ?? 15_000) / 1000), maxInFlight: String(endpoint?.maxInFlight ?? 4) },
    relay: endpoint?.relay ?? null,
    format: { format: endpoint?.format ?? 'dialect', template: endpoint?.template ?? '' },
  };
}

/** Which fields an edit touches, so their problems are checked again. */
const FIELDS_OF: Partial<Record<keyof EndpointDraft, EndpointField[]>> = {
  name: ['name'],
  url: ['url'],
  events: ['events'],
  retry: ['retry'],
  sending: ['timeout', 'maxInFlight'],
  relay: ['relay'],
  format: ['template'],
};

/** Create an endpoint, or edit one (the secret is not editable here: rotate it instead). Everything `endpoint add` takes. */
export function EndpointForm({ endpoint }: { endpoint?: EndpointSummary }) {
  const dialects = useDialects((s) => s.dialects);
  const { select, setMode, showSecret, upsert } = useEndpoints.getState();
  const [draft, setDraft] = useState(() => initialDraft(endpoint));
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const dialect = dialects.find((d) => d.name === draft.dialect);
  const problem = (field: EndpointField) => errorAt(errors, field, draft.dialect);

  const edit = <K extends keyof EndpointDraft>(key: K, value: EndpointDraft[K]) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    setErrors((current) => {
      const { form: _stale, ...rest } = recheck(current, next, FIELDS_OF[key] ?? []);
      return rest;
    });
  };

  const changeDialect = (name: string) => {
    const known = new Set([...ENGINE_EVENTS, ...(dialects.find((d) => d.name === name)?.events.map((e) => e.name) ?? [])]);
    edit('dialect', name);
    setDraft((d) => ({ ...d, dialect: name, events: d.events.filter((e) => known.has(e)) }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkDraft(draft);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const fields = toFields(draft);
      if (endpoint) {
        upsert(await call('endpoints.update', { id: endpoint.id, ...fields }));
        setMode({ kind: 'view' });
      } else {
        const created = await call('endpoints.add', { ...fields, ...(secret.trim() ? { secret: secret.trim() } : {}) });
        select(created.id);
        showSecret({ ...created, reason: 'created' });
      }
    } catch (err) {
      const found = fieldOfEngineError(describeError(err), draft.dialect);
      setErrors({ [found.field]: found });
    } finally {
      setBusy(false);
    }
  }

  const previewEvent = draft.events.find((e) => (ENGINE_EVENTS as string[]).includes(e)) ?? 'release.published';
  return (
    <form className="card form wide endpoint-form" aria-label={endpoint ? 'Edit endpoint' : 'New endpoint'} onSubmit={submit} noValidate>
      <h3>{endpoint ? `Edit ${endpoint.name}` : 'New endpoint'}</h3>
      {endpoint ? null : (
        <p className="muted">An endpoint is a URL Hookbench sends signed webhooks to, in the dialect the receiving service expects, retrying until it answers 2xx.</p>
      )}
      <div className="form-grid">
        <label>
          Name
          <input value={draft.name} onChange={(e) => edit('name', e.target.value)} placeholder="Release bot" />
          <FieldProblem id="endpoint-name-problem" message={problem('name')} />
        </label>
        <DialectSelect value={draft.dialect} onChange={changeDialect} label="Dialect (how requests are signed)" />
      </div>
      <label>
        URL
        <input className="mono" value={draft.url} onChange={(e) => edit('url', e.target.value)} placeholder="http://127.0.0.1:9000/hooks" />
        {draft.url.includes(HIDDEN) ? <span className="muted">Parts shown as {HIDDEN} are credentials: saved as they are, they keep their stored value.</span> : null}
        <FieldProblem id="endpoint-url-problem" message={problem('url')} />
      </label>
      <EventPicker dialect={dialect} value={draft.events} onChange={(events) => edit('events', events)} />
      <FieldProblem id="endpoint-events-problem" message={problem('events')} />
      {endpoint ? null : (
        <label>
          <span>
            Secret <span className="muted">(optional: leave empty and Hookbench generates one)</span>
          </span>
          <input
            className="mono"
            value={secret}
            onChange={(e) => {
              setSecret(e.target.value);
              setErrors(({ secret: _fixed, ...rest }) => rest);
            }}
            autoComplete="off"
            spellCheck={false}
          />
          {dialect ? <span className="hint-text"><HelpText text={dialect.secret} /></span> : null}
          <FieldProblem id="endpoint-secret-problem" message={problem('secret')} />
        </label>
      )}
      <FormatField
        dialect={draft.dialect}
        dialectLabel={dialect?.label ?? draft.dialect}
        format={draft.format.format}
        template={draft.format.template}
        event={previewEvent}
        problem={problem('template')}
        onChange={(format) => edit('format', format)}
      />
      <RetryField dialect={dialect} mode={draft.retry.mode} text={draft.retry.text} onChange={(retry) => edit('retry', retry)} />
      <FieldProblem id="endpoint-retry-problem" message={problem('retry')} />
      <SendingFields value={draft.sending} problems={{ timeout: problem('timeout'), maxInFlight: problem('maxInFlight') }} onChange={(sending) => edit('sending', sending)} />
      <RelayField value={draft.relay} problem={problem('relay')} onChange={(relay) => edit('relay', relay)} />
      <ErrorNote>{problem('form')}</ErrorNote>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {endpoint ? 'Save changes' : 'Create endpoint'}
        </button>
        <button type="button" className="btn" onClick={() => setMode({ kind: 'view' })}>
          Cancel
        </button>
      </div>
    </form>
  );
}
