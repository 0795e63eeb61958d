/** done of total; an indeterminate bar while the total is unknown. `format` shows the numbers (sizes, say). */
export function ProgressBar({ label, done, total, format = (n) => n.toLocaleString() }: { label: string; done: number; total: number | null; format?: (n: number) => string }) {
  const ratio = total ? Math.min(1, done / total) : null;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total ?? undefined} aria-valuenow={total ? done : undefined}>
      <div className={`progress-bar ${ratio === null ? 'indeterminate' : ''}`} style={ratio === null ? undefined : { width: `${ratio * 100}%` }} />
      <span className="progress-text num" data-testid="progress-text">
        {label}: {format(done)}
        {total !== null ? ` / ${format(total)}` : ''}
      </span>
    </div>
  );
}
