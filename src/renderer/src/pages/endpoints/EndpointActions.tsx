import type { EndpointSummary } from '../../../../shared/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useEndpoints } from '../../stores/endpoints-store';

export function EndpointActions({ endpoint, onNote }: { endpoint: EndpointSummary; onNote(note: string): void }) {
  const { setMode, upsert, showSecret, select, load } = useEndpoints.getState();
  const run = (action: () => Promise<void>) => () => void action().catch((e: unknown) => onNote(describeError(e)));

  return (
    <div className="row wrap">
      <button type="button" className="btn btn-small" onClick={() => setMode({ kind: 'edit' })}>
        Edit
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={run(async () => {
          const next = endpoint.active ? await call('endpoints.disable', { id: endpoint.id, reason: 'Disabled by hand' }) : await call('endpoints.enable', { id: endpoint.id });
          upsert(next);
          onNote(
            next.active
              ? `Enabled: ${next.stats.pendingMessages ? `${next.stats.pendingMessages.toLocaleString()} waiting messages go out now, oldest first.` : 'new messages go out as they come.'}`
              : 'Disabled: nothing is sent and nothing is dropped; new messages wait until you enable it again.',
          );
        })}
      >
        {endpoint.active ? 'Disable' : 'Enable'}
      </button>
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
