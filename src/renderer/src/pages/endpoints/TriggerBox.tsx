import { useState } from 'react';
import type { EndpointSummary } from '../../../../shared/types';
import { ENGINE_EVENTS } from '../../../../shared/types';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { dialectEventNames, useDialects } from '../../stores/dialects-store';
import { useEndpointActivity } from '../../stores/endpoint-activity-store';
import { Field } from '../../components/Field';

/** Sends a sample of an event now, like `stripe trigger`. */
export function TriggerBox({ endpoint, onNote }: { endpoint: EndpointSummary; onNote(note: string): void }) {
  const dialect = useDialects((s) => s.dialects.find((d) => d.name === endpoint.dialect));
  const [event, setEvent] = useState(endpoint.events[0] ?? '');
  const others = [...new Set([...ENGINE_EVENTS, ...dialectEventNames(dialect)])].filter((e) => !endpoint.events.includes(e));
  const chosen = event || endpoint.events[0] || others[0] || '';

  const trigger = async () => {
    try {
      const message = await call('endpoints.trigger', { id: endpoint.id, event: chosen });
      useEndpointActivity.getState().onMessage(message);
      onNote(
        endpoint.active
          ? `Queued a sample ${message.event} as ${message.messageId}; the attempt appears below.`
          : `Queued a sample ${message.event} as ${message.messageId}. This endpoint is disabled, so it waits with the other pending messages and is sent when you enable it.`,
      );
    } catch (error) {
      onNote(describeError(error));
    }
  };

  return (
    <div className="inline-form">
      <Field label="Sample event">
        {(id) => (
          <select id={id} value={chosen} onChange={(e) => setEvent(e.target.value)}>
            <optgroup label="Subscribed">
              {endpoint.events.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </optgroup>
            {others.length ? (
              <optgroup label="Other events">
                {others.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        )}
      </Field>
      <button type="button" className="btn btn-primary" onClick={() => void trigger()} disabled={!chosen}>
        Send sample
      </button>
    </div>
  );
}
