import { useEffect, useRef, useState, type ReactNode } from 'react';
import { HelpText } from './HelpText';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'info';

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function CopyButton({ text, label = 'Copy', title }: { text: string; label?: string; title?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const done = (next: 'copied' | 'failed') => {
    setState(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button
      type="button"
      className="btn btn-small"
      title={title ?? 'Copy to the clipboard'}
      onClick={() => {
        if (!navigator.clipboard) return done('failed');
        navigator.clipboard.writeText(text).then(
          () => done('copied'),
          () => done('failed'),
        );
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : label}
    </button>
  );
}

export function Empty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function ErrorNote({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="error" role="alert">
      {/* An engine message may quote a dialect's help, written with `code` spans: shown as code, not backticks. */}
      {typeof children === 'string' ? <HelpText text={children} /> : children}
    </p>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

export function outcomeTone(outcome: string): Tone {
  if (['ingested', 'published', 'ping', 'valid', 'active', 'hook_verified', 'succeeded', 'package_added', 'endpoint_added', 'endpoint_enabled'].includes(outcome)) return 'ok';
  if (['rejected', 'checks_failed', 'invalid', 'missing', 'failed', 'disabled', 'failing', 'endpoint_auto_disabled'].includes(outcome)) return 'bad';
  if (['skipped', 'tag_deleted', 'duplicate', 'unregistered', 'already_ingested', 'package_removed', 'endpoint_disabled', 'endpoint_removed'].includes(outcome)) return 'warn';
  if (['pending', 'sending', 'replayed', 'resent', 'endpoint_secret_rotated'].includes(outcome)) return 'info';
  return 'muted';
}

export function statusTone(status: number | null): Tone {
  if (status === null) return 'bad';
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 500) return 'warn';
  return 'bad';
}
