import { useState, type FormEvent } from 'react';
import type { InboxSummary } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useInboxes } from '../../stores/inboxes-store';
import { parseTolerance } from './tolerance';

/** The name and the timestamp tolerance: the two things an inbox can change after it is made. */
export function InboxSettings({ inbox, defaultTolerance }: { inbox: InboxSummary; defaultTolerance: string | null }) {
  const [name, setName] = useState(inbox.name);
  const [tolerance, setTolerance] = useState(inbox.toleranceSeconds === null ? '' : String(inbox.toleranceSeconds));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const toleranceText = inbox.toleranceSeconds === null ? '' : String(inbox.toleranceSeconds);
  const changed = name.trim() !== inbox.name || tolerance.trim() !== toleranceText;

  async function save(event: FormEvent) {
    event.preventDefault();
    const toleranceSeconds = parseTolerance(tolerance);
    if (toleranceSeconds === 'invalid') return setError('Tolerance is a whole number of seconds (0 to 2,592,000), or empty for the dialect’s own.');
    if (!name.trim()) return setError('An inbox needs a name.');
    try {
      useInboxes.getState().upsert(await call('inboxes.update', { id: inbox.id, name: name.trim(), toleranceSeconds }));
      setError(null);
      setSaved(true);
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <form className="inline-form inbox-settings" onSubmit={save} aria-label="Inbox settings">
      <label>
        Name
        <input value={name} maxLength={200} onChange={(e) => (setName(e.target.value), setSaved(false))} />
      </label>
      {defaultTolerance !== null ? (
        <label>
          Tolerance (s)
          <input inputMode="numeric" value={tolerance} placeholder={defaultTolerance} onChange={(e) => (setTolerance(e.target.value), setSaved(false))} />
        </label>
      ) : null}
      <button type="submit" className="btn btn-small" disabled={!changed}>
        Save
      </button>
      {saved && !changed ? (
        <span className="muted" role="status">
          Saved
        </span>
      ) : null}
      <ErrorNote>{error}</ErrorNote>
    </form>
  );
}
