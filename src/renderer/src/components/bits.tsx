import { useState, type ReactNode } from 'react';

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'muted' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

export function outcomeTone(outcome: string): 'ok' | 'warn' | 'bad' | 'muted' | 'info' {
  if (['ingested', 'published', 'ping', 'valid', 'active', 'hook_verified'].includes(outcome)) return 'ok';
  if (outcome === 'rejected' || outcome === 'checks_failed' || outcome === 'invalid' || outcome === 'missing') return 'bad';
  if (outcome === 'skipped' || outcome === 'tag_deleted' || outcome === 'duplicate' || outcome === 'unregistered') return 'warn';
  if (outcome === 'pending') return 'info';
  return 'muted';
}
