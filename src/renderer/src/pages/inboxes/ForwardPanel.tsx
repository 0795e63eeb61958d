import { useState, type FormEvent } from 'react';
import type { InboxForwardTarget } from '../../../../shared/inbox-types';
import type { InboxSummary } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { ConfirmButton } from '../../components/ConfirmButton';
import { call } from '../../stores/connection-store';
import { useInboxes } from '../../stores/inboxes-store';
import { panelError } from './panel-error';

const eventList = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** Local services each capture is passed on to, as `stripe listen --forward-to` or smee-client do. */
export function ForwardPanel({ inbox }: { inbox: InboxSummary }) {
  const [targets, setTargets] = useState<InboxForwardTarget[]>(inbox.forwards);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('');
  const [rewrite, setRewrite] = useState('');
  const [passBack, setPassBack] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function apply(params: { url: string; remove?: boolean; events?: string[]; pathRewrite?: string | null; passBack?: boolean }) {
    try {
      const next = await call('inboxes.forward', { id: inbox.id, ...params });
      setTargets(next);
      setError(null);
      useInboxes.getState().upsert({ ...inbox, forwards: next });
      return true;
    } catch (e) {
      setError(panelError(e, 'forward captures'));
      return false;
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const done = await apply({ url: url.trim(), events: eventList(events), pathRewrite: rewrite.trim() || null, passBack });
    if (done) {
      setUrl('');
      setEvents('');
      setRewrite('');
      setPassBack(false);
    }
  }

  return (
    <div className="forward-panel">
      {targets.length ? (
        <table className="grid" aria-label="Forward targets">
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>Path rewrite</th>
              <th>Answer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {targets.map((t) => (
              <tr key={t.url}>
                <td className="mono">{t.url}</td>
                <td>{t.events.length ? t.events.join(', ') : <span className="muted">all</span>}</td>
                <td className="mono">{t.pathRewrite ?? <span className="muted">kept</span>}</td>
                <td>{t.passBack ? 'passed back to the sender' : <span className="muted">programmed</span>}</td>
                <td className="shrink">
                  <ConfirmButton confirmLabel="Stop forwarding?" onConfirm={() => void apply({ url: t.url, remove: true })}>
                    Remove
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No forward targets: captures stay here. Add a local URL to pass each one on, bytes and headers exactly as they came.</p>
      )}
      <form className="card form wide" onSubmit={add} aria-label="Add forward target">
        <div className="form-grid">
          <label>
            Forward to
            <input className="mono" value={url} placeholder="http://127.0.0.1:3000/webhooks" onChange={(e) => setUrl(e.target.value)} required />
          </label>
          <label>
            Events (empty: all)
            <input value={events} placeholder="payment_intent.succeeded, invoice.paid" onChange={(e) => setEvents(e.target.value)} />
          </label>
          <label>
            Path rewrite (optional)
            <input className="mono" value={rewrite} placeholder="/stripe=>/api/webhooks" onChange={(e) => setRewrite(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={passBack} onChange={(e) => setPassBack(e.target.checked)} /> Pass the target’s answer back to the sender
          </label>
        </div>
        <span className="hint-text">A failing target is retried on its own schedule; forwarding never holds up the answer to other captures.</span>
        <ErrorNote>{error}</ErrorNote>
        <div className="row">
          <button type="submit" className="btn btn-primary">
            Add target
          </button>
        </div>
      </form>
    </div>
  );
}
