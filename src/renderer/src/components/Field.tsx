import { useId, type ReactNode } from 'react';

/**
 * A labelled control. The label points at the control instead of wrapping it, so a
 * select's accessible name is its label, not its label plus the chosen option.
 */
export function Field({ label, hint, children }: { label: ReactNode; hint?: ReactNode; children(id: string): ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint ? <span className="hint-text">{hint}</span> : null}
    </div>
  );
}
