import { useState, type FormEvent } from 'react';
import { HIDDEN } from '../../../../shared/secret-headers';
import { ENGINE_EVENTS, type EndpointSummary } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { describeError } from '../../lib/errors';
import { compactDelay, parseDelays } from '../../lib/format';
import { call } from '../../stores/connection-store';
import { useDialects } from '../../stores/dialects-store';
import { useEndpoints } from '../../stores/endpoints-store';
import { DialectSelect } from '../debugger/DialectSelect';
import { EventPicker } from './EventPicker';
import { RetryField } from './RetryField';
import { HelpText } from '../../components/HelpText';

function checkUrl(url: string): string | null {
  if (url && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `Enter a full URL, starting with http:// or https://, for example http://${url.replace(/^\/+/, '')}`;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : `Endpoint URLs must start with http:// or https://, not ${u.protocol}`;
  } catch {
    return 'Enter a full URL, for example http://127.0.0.1:9000/hooks';
  }
}

/** Create an endpoint, or edit one (the secret is not editable here: rotate it instead). */
export function EndpointForm({ endpoint }: { endpoint?: EndpointSummary }) {
  const dialects = useDialects((s) => s.dialects);
  const { select, setMode, showSecret, upsert } = useEndpoints.getState();
  const [name, setName] = useState(endpoint?.name ?? '');
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [dialectName, setDialectName] = useState(endpoint?.dialect ?? 'standard-webhooks');
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? ['release.published']);
  const [secret, setSecret] = useState('');
  const [retry, setRetry] = useState<{ mode: 'default' | 'custom'; text: string }>({
    mode: endpoint?.retryDelays ? 'custom' : 'default',
    text: endpoint?.retryDelays?.map(compactDelay).join(', ') ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialect = dialects.find((d) => d.name === dialectName);

  const changeDialect = (next: string) => {
    const known = new Set([...ENGINE_EVENTS, ...(dialects.find((d) => d.name === next)?.events.map((e) => e.name) ?? [])]);
    setDialectName(next);
    setEvents((current) => current.filter((e) => known.has(e)));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem =
      (!name.trim() && 'Give the endpoint a name.') ||
      checkUrl(url.trim()) ||
      (events.length === 0 && 'Pick at least one event to send.') ||
      null;
    const delays = retry.mode === 'custom' ? parseDelays(retry.text) : { delays: null };
    if (problem) return setError(problem);
    if ('error' in delays) return setError(delays.error);
    const fields = { name: name.trim(), url: url.trim(), dialect: dialectName, events, retryDelays: delays.delays };
    setBusy(true);
    try {
      if (endpoint) {
        upsert(await call('endpoints.update', { id: endpoint.id, ...fields }));
        setMode({ kind: 'view' });
      } else {
        const created = await call('endpoints.add', { ...fields, ...(secret.trim() ? { secret: secret.trim() } : {}) });
        select(created.id);
        showSecret({ ...created, reason: 'created' });
      }
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form wide endpoint-form" aria-label={endpoint ? 'Edit endpoint' : 'New endpoint'} onSubmit={submit} noValidate>
      <h3>{endpoint ? `Edit ${endpoint.name}` : 'New endpoint'}</h3>
      {endpoint ? null : (
        <p className="muted">An endpoint is a URL Hookbench sends signed webhooks to, in the dialect the receiving service expects, retrying until it answers 2xx.</p>
      )}
      <div className="form-grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Release bot" />
        </label>
        <DialectSelect value={dialectName} onChange={changeDialect} label="Dialect (how requests are signed)" />
      </div>
      <label>
        URL
        <input className="mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://127.0.0.1:9000/hooks" />
        {url.includes(HIDDEN) ? <span className="muted">Parts shown as {HIDDEN} are credentials: saved as they are, they keep their stored value.</span> : null}
      </label>
      <EventPicker dialect={dialect} value={events} onChange={setEvents} />
      {endpoint ? null : (
        <label>
          <span>
            Secret <span className="muted">(optional: leave empty and Hookbench generates one)</span>
          </span>
          <input className="mono" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" spellCheck={false} />
          {dialect ? <span className="hint-text"><HelpText text={dialect.secret} /></span> : null}
        </label>
      )}
      <RetryField dialect={dialect} mode={retry.mode} text={retry.text} onChange={setRetry} />
      <ErrorNote>{error}</ErrorNote>
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
