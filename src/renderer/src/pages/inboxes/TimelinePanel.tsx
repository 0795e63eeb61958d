import { useEffect, useState } from 'react';
import type { InboxTimelineEntry } from '../../../../shared/inbox-types';
import type { InboxSummary } from '../../../../shared/types';
import { Badge, ErrorNote, outcomeTone, statusTone } from '../../components/bits';
import { shown } from '../../lib/bytes';
import { when } from '../../lib/format';
import { call } from '../../stores/connection-store';
import { panelError } from './panel-error';

/** 10.0 s, 1 min 40 s, 2 h 5 min: a gap as a person reads a retry schedule. */
export function gapText(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** Every arrival of each event id with the gap since its first: how the sender actually retries. */
export function TimelinePanel({ inbox, onOpen }: { inbox: InboxSummary; onOpen(id: number): void }) {
  const [entries, setEntries] = useState<InboxTimelineEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [eventId, setEventId] = useState('');
  const captures = inbox.captures;

  useEffect(() => {
    let current = true;
    call('inboxes.timeline', { id: inbox.id, ...(eventId.trim() ? { eventId: eventId.trim() } : {}), limit: 200 }).then(
      (list) => current && (setEntries(list), setError(null)),
      (e: unknown) => current && setError(panelError(e, 'show a retry timeline')),
    );
    return () => {
      current = false;
    };
  }, [inbox.id, eventId, captures]);

  return (
    <section className="timeline" aria-label="Retry timeline">
      <div className="row">
        <input aria-label="Event id" placeholder="Event id (empty: every event)" value={eventId} onChange={(e) => setEventId(e.target.value)} />
      </div>
      <ErrorNote>{error}</ErrorNote>
      {entries && entries.length === 0 ? <p className="muted">No event has arrived yet.</p> : null}
      {entries?.map((entry) => (
        <div className="card" key={entry.eventId}>
          <h3 className="mono ellipsis" title={shown(entry.eventId)}>
            {shown(entry.eventId)} <span className="muted">· {entry.arrivals.length} {entry.arrivals.length === 1 ? 'arrival' : 'arrivals'}</span>
          </h3>
          <table className="grid" aria-label={`Arrivals of ${shown(entry.eventId)}`}>
            <thead>
              <tr>
                <th>#</th>
                <th>Arrived</th>
                <th>After the first</th>
                <th>Answered</th>
                <th>Signature</th>
              </tr>
            </thead>
            <tbody>
              {entry.arrivals.map((a, i) => (
                <tr key={a.deliveryId}>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(a.deliveryId)} title="Open this capture">
                      #{a.deliveryId}
                    </button>
                  </td>
                  <td>{when(a.receivedAt)}</td>
                  <td className="mono">{i === 0 ? 'first' : `+${gapText(a.sinceFirstMs)}`}</td>
                  <td className={`tone-${statusTone(a.answeredStatus)}`}>{a.answeredStatus ?? 'no answer'}</td>
                  <td>
                    <Badge tone={outcomeTone(a.verdict)}>{a.verdict}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
