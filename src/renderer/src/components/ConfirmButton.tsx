import { useEffect, useState, type ReactNode } from 'react';

/** A destructive action: the first click arms it, the second (within a few seconds) does it. */
export function ConfirmButton({ onConfirm, children, confirmLabel }: { onConfirm(): void; children: ReactNode; confirmLabel: string }) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(t);
  }, [armed]);
  return (
    <button
      type="button"
      className={`btn btn-small ${armed ? 'btn-danger' : ''}`}
      onClick={() => {
        if (!armed) return setArmed(true);
        setArmed(false);
        onConfirm();
      }}
    >
      {armed ? confirmLabel : children}
    </button>
  );
}
