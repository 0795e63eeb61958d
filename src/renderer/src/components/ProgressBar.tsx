/** done of total; an indeterminate bar while the total is unknown. */
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number | null }) {
  const ratio = total ? Math.min(1, done / total) : null;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total ?? undefined} aria-valuenow={total ? done : undefined}>
      <div className={`progress-bar ${ratio === null ? 'indeterminate' : ''}`} style={ratio === null ? undefined : { width: `${ratio * 100}%` }} />
      <span className="progress-text num" data-testid="progress-text">
        {label}: {done.toLocaleString()}
        {total !== null ? ` / ${total.toLocaleString()}` : ''}
      </span>
    </div>
  );
}
