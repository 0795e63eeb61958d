import type { CatchUpResult } from '../../../../shared/types';
import { shown } from '../../lib/bytes';

export function CatchUpView({ result: r }: { result: CatchUpResult }) {
  return (
    <div className="card op-result" role="status" aria-label="Catch-up result">
      <strong>Caught up</strong>
      <p className="muted">
        {r.redelivered.length} redelivered · {r.notRedelivered.length} not redelivered · {r.tagsSeen} tags seen · {r.reconciled.length} reconciled
        {r.notSemver.length ? ` · ${r.notSemver.length} not semver` : ''}
      </p>
      {r.messages.map((m) => (
        <p key={m}>{shown(m)}</p>
      ))}
      {r.redelivered.length ? (
        <ul className="notes">
          {r.redelivered.map((d) => (
            <li key={d.guid}>
              Redelivered {shown(d.event)} {d.tag ? shown(d.tag) : ''} <span className="mono muted">{d.guid}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {r.notRedelivered.length ? (
        <ul className="notes">
          {r.notRedelivered.map((d) => (
            <li key={d.guid}>
              Not redelivered: {shown(d.event)} <span className="mono muted">{d.guid}</span> — {shown(d.reason)}
            </li>
          ))}
        </ul>
      ) : null}
      {r.reconciled.length ? (
        <ul className="notes">
          {r.reconciled.map((t) => (
            <li key={t.tag}>
              {shown(t.tag)}: {t.outcome.replace('_', ' ')}
              {t.reason ? ` — ${shown(t.reason)}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
