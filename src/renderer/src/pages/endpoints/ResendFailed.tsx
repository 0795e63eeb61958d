import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { Field } from '../../components/Field';
import { waitsWhileDisabled } from './resend';

const SPANS = [
  { label: 'the last hour', ms: 3600_000 },
  { label: 'the last 24 hours', ms: 86400_000 },
  { label: 'the last 3 days', ms: 3 * 86400_000 },
  { label: 'the last 30 days', ms: 30 * 86400_000 },
];

/** Queues again every message that gave up since a point in time (after the receiver is fixed). */
export function ResendFailed({ endpointId, failed, onNote }: { endpointId: string; failed: number; onNote(note: string): void }) {
  const [span, setSpan] = useState(1);
  const resend = async () => {
    try {
      const { resent } = await call('endpoints.resendFailed', { id: endpointId, since: Date.now() - SPANS[span]!.ms });
      onNote(resent ? `Queued ${resent} failed ${resent === 1 ? 'message' : 'messages'} again.${waitsWhileDisabled(endpointId)}` : `No failed messages in ${SPANS[span]!.label}.`);
    } catch (error) {
      onNote(describeError(error));
    }
  };
  return (
    <div className="inline-form">
      <Field label="Resend everything failed in">
        {(id) => (
          <select id={id} value={span} onChange={(e) => setSpan(Number(e.target.value))}>
            {SPANS.map((s, i) => (
              <option key={s.label} value={i}>
                {s.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="button" className="btn" onClick={() => void resend()} title={`${failed} failed in all`}>
        Resend failed
      </button>
    </div>
  );
}
