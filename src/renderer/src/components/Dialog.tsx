import { useEffect, useRef, type ReactNode } from 'react';
import { useKeydown } from '../hooks/useKeys';

interface DialogProps {
  label: string;
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
}

/**
 * A modal over the page. Keys pressed inside stay inside (the list behind does not move),
 * Esc closes it, and focus returns to where it was.
 */
export function Dialog({ label, title, onClose, children, wide }: DialogProps) {
  const box = useRef<HTMLElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  // Esc also when focus has left the dialog (a button that disabled itself drops it on the page).
  useKeydown((e) => {
    if (e.key === 'Escape') close.current();
  });
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="overlay" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && close.current()}>
      <section
        ref={box}
        tabIndex={-1}
        className={`card dialog ${wide ? 'dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') close.current();
        }}
      >
        <header className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="btn btn-small" onClick={() => close.current()} title="Close (Esc)">
            Close
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </section>
    </div>
  );
}
