import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/bits';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';

/** Marks the open delivery "keep": the retention policy never prunes it. */
export function KeepToggle({ id, keptAt }: { id: number; keptAt: number | null }) {
  const [kept, setKept] = useState(keptAt !== null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setKept(keptAt !== null);
    setError(null);
  }, [id, keptAt]);
  const toggle = async () => {
    try {
      const result = await call('deliveries.keep', { id, keep: !kept });
      setKept(result.kept);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <>
      <button
        type="button"
        className={`btn btn-small${kept ? ' btn-primary' : ''}`}
        aria-pressed={kept}
        data-testid="keep-toggle"
        title={kept ? 'Kept: retention never prunes it. Click to let the policy apply again.' : 'Keep it: retention will never prune it'}
        onClick={() => void toggle()}
      >
        {kept ? 'Kept' : 'Keep'}
      </button>
      <ErrorNote>{error}</ErrorNote>
    </>
  );
}
