import { useState, type FormEvent } from 'react';
import type { InboxSummary } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { HelpText } from '../../components/HelpText';
import { when } from '../../lib/format';
import { call } from '../../stores/connection-store';
import { useDialects } from '../../stores/dialects-store';
import { useInboxes } from '../../stores/inboxes-store';
import { panelError } from './panel-error';

const DEFAULT_OVERLAP_HOURS = 24;

/** A new secret, with the old one still verifying for a while so the sender can switch over. */
export function RotatePanel({ inbox }: { inbox: InboxSummary }) {
  const [secret, setSecret] = useState('');
  const [hours, setHours] = useState(String(DEFAULT_OVERLAP_HOURS));
  const [error, setError] = useState<string | null>(null);
  const dialect = useDialects((s) => s.dialects.find((d) => d.name === inbox.dialect));

  async function rotate(event: FormEvent) {
    event.preventDefault();
    const overlap = Number(hours.trim() || 0);
    if (!Number.isFinite(overlap) || overlap < 0 || overlap > 720) return setError('Overlap is a number of hours from 0 to 720.');
    try {
      const made = await call('inboxes.rotate', { id: inbox.id, ...(secret.trim() ? { secret: secret.trim() } : {}), overlapSeconds: Math.round(overlap * 3600) });
      const store = useInboxes.getState();
      const fresh = await call('inboxes.get', { id: inbox.id });
      store.upsert(fresh);
      if (made.secret && !secret.trim()) store.showSecret({ ...made, reason: 'rotated', previousValidUntil: fresh.previousSecretUntil });
      setSecret('');
      setError(null);
    } catch (e) {
      setError(panelError(e, 'rotate an inbox secret'));
    }
  }

  return (
    <form className="card form" onSubmit={rotate} aria-label="Rotate secret">
      <p>
        A new secret for this inbox. Until the overlap ends, requests signed with the old one still verify, so you can change the sender without losing
        any.
      </p>
      {inbox.previousSecretUntil ? <p className="muted">The previous secret verifies until {when(inbox.previousSecretUntil)}.</p> : null}
      <label>
        New secret (optional)
        <input className="mono" value={secret} placeholder="empty: Hookbench makes one and shows it once" onChange={(e) => setSecret(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      {dialect ? (
        <span className="hint-text" data-testid="secret-form">
          {dialect.label}: <HelpText text={dialect.secret} />
        </span>
      ) : null}
      <label>
        Old secret keeps verifying for (hours)
        <input type="number" min={0} max={720} step="any" value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>
      <ErrorNote>{error}</ErrorNote>
      <div className="row">
        <button type="submit" className="btn btn-primary">
          Rotate secret
        </button>
      </div>
    </form>
  );
}
