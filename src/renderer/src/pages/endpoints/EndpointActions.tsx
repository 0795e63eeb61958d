import type { EndpointSummary } from '../../../../shared/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useEndpoints } from '../../stores/endpoints-store';
import { DisableEndpoint } from './DisableEndpoint';

export function EndpointActions({ endpoint, onNote }: { endpoint: EndpointSummary; onNote(note: string): void }) {
  const { setMode, upsert, showSecret, select, load } = useEndpoints.getState();
  const run = (action: () => Promise<void>) => () => void action().catch((e: unknown) => onNote(describeError(e)));

  return (
    <div className="row wrap">
      <button type="button" className="btn btn-small" onClick={() => setMode({ kind: 'edit' })}>
        Edit
      </button>
      {endpoint.active ? (
        <DisableEndpoint
          endpoint={endpoint}
          onDisable={(reason) =>
            call('endpoints.disable', { id: endpoint.id, ...(reason ? { reason } : {}) }).then(
              (next) => {
                upsert(next);
                onNote('Disabled: nothing is sent and nothing is dropped; new messages wait until you enable it again.');
              },
              (e: unknown) => onNote(describeError(e)),
            )
          }
        />
      ) : (
        <button
          type="button"
          className="btn btn-small"
          onClick={run(async () => {
            const next = await call('endpoints.enable', { id: endpoint.id });
            upsert(next);
            onNote(
              next.stats.pendingMessages
                ? `Enabled: ${next.stats.pendingMessages.toLocaleString()} waiting messages go out now, oldest first.`
                : 'Enabled: new messages go out as they come.',
            );
          })}
        >
          Enable
        </button>
      )}
      <ConfirmButton
        confirmLabel="Click again to rotate"
        onConfirm={run(async () => {
          const secret = await call('endpoints.rotateSecret', { id: endpoint.id });
          showSecret({ ...secret, reason: 'rotated' });
          void useEndpoints.getState().refreshOne(endpoint.id);
        })}
      >
        Rotate secret
      </ConfirmButton>
      <ConfirmButton
        confirmLabel="Click again to delete"
        onConfirm={run(async () => {
          await call('endpoints.remove', { id: endpoint.id });
          select(null);
          await load();
        })}
      >
        Delete
      </ConfirmButton>
    </div>
  );
}
