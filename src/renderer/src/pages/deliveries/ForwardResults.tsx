import { useEffect } from 'react';
import type { InboxForwardResult } from '../../../../shared/inbox-types';
import { Badge, type Tone } from '../../components/bits';
import { shown } from '../../lib/bytes';
import { when } from '../../lib/format';
import { useForwards } from '../../stores/forwards-store';

const tone: Record<InboxForwardResult['state'], Tone> = { delivered: 'ok', pending: 'warn', failed: 'bad' };

function answerOf(f: InboxForwardResult): string {
  if (f.status !== null) return `${f.status}${f.durationMs !== null ? ` in ${f.durationMs} ms` : ''}`;
  if (f.error) return shown(f.error);
  return 'not tried yet';
}

/** What each local target this capture was forwarded to answered; follows retries as they happen. */
export function ForwardResults({ deliveryId }: { deliveryId: number }) {
  const forwards = useForwards((s) => (s.deliveryId === deliveryId ? s.forwards : null));
  useEffect(() => {
    void useForwards.getState().load(deliveryId);
  }, [deliveryId]);
  if (!forwards?.length) return null;
  return (
    <section className="card" aria-label="Forwards">
      <h3>
        Forwards <span className="muted">{forwards.length}</span>
      </h3>
      <table className="grid" aria-label="Forward results">
        <thead>
          <tr>
            <th>Target</th>
            <th>State</th>
            <th>Tries</th>
            <th>Answer</th>
          </tr>
        </thead>
        <tbody>
          {forwards.map((f) => (
            <tr key={f.url}>
              <td className="mono forward-cell">{shown(f.url)}</td>
              <td>
                <Badge tone={tone[f.state]}>{f.state}</Badge>
                {f.state === 'pending' && f.nextAttemptAt !== null ? <span className="muted"> next {when(f.nextAttemptAt)}</span> : null}
              </td>
              <td>{f.attempts}</td>
              <td className="forward-cell" title={f.body ? shown(f.body.slice(0, 2000)) : undefined}>
                {answerOf(f)}
                {f.status !== null && f.error ? <span className="muted"> · {shown(f.error)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
