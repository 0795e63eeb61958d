import { useState } from 'react';
import type { EndpointSummary } from '../../../../shared/types';

/** Disable asks why (optional, as `endpoint disable --reason` does): the reason is shown on the endpoint and in the feed. */
export function DisableEndpoint({ onDisable }: { endpoint: EndpointSummary; onDisable(reason: string | null): Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  if (!asking) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setAsking(true)}>
        Disable…
      </button>
    );
  }
  const done = () => {
    setAsking(false);
    setReason('');
  };
  return (
    <form
      className="inline-form row wrap"
      aria-label="Disable endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        void onDisable(reason.trim() || null).then(done);
      }}
    >
      <label>
        Reason <span className="muted">(optional)</span>
        <input autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="Receiver down for maintenance" />
      </label>
      <button type="submit" className="btn btn-small btn-primary">
        Disable
      </button>
      <button type="button" className="btn btn-small" onClick={done}>
        Cancel
      </button>
    </form>
  );
}
