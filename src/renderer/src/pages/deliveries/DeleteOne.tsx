import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/bits';
import { ConfirmButton } from '../../components/ConfirmButton';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useDeliveries } from '../../stores/deliveries-store';

/** Deletes the open delivery; one a release or fixture links to is kept until asked again, saying why. */
export function DeleteOne({ id, onDeleted }: { id: number; onDeleted(): void }) {
  const reload = useDeliveries((s) => s.reload);
  const [linked, setLinked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setLinked(null);
    setError(null);
  }, [id]);
  const remove = async (includeLinked: boolean) => {
    try {
      const result = await call('deliveries.delete', { ids: [id], includeLinked });
      if (result.deleted === 1) {
        onDeleted();
        reload();
        return;
      }
      setLinked(result.keptForRelease.length ? 'A release records this delivery as the one that made it.' : 'A fixture was saved from this delivery.');
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <>
      <ConfirmButton confirmLabel="Click again to delete" onConfirm={() => void remove(false)}>
        Delete
      </ConfirmButton>
      {linked ? (
        <p className="note-line full-row" role="status" data-testid="delete-linked">
          <span className="warn-note">
            Kept: {linked}{' '}
            <button type="button" className="link" onClick={() => void remove(true)}>
              Delete it anyway
            </button>{' '}
            (the release keeps its data without the link; a fixture keeps its own copy).
          </span>
        </p>
      ) : null}
      <ErrorNote>{error}</ErrorNote>
    </>
  );
}
