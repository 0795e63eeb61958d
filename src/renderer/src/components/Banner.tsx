import { useConnection } from '../stores/connection-store';

/** A page-wide problem, in words a person can act on, until dismissed. */
export function Banner() {
  const error = useConnection((s) => s.error);
  const dismiss = useConnection((s) => s.dismiss);
  if (!error) return null;
  return (
    <div className="banner" role="alert">
      <span>{error}</span>
      <button type="button" className="btn btn-small" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
