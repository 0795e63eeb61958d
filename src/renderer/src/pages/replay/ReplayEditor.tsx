import { formatSize } from '../../lib/bytes';
import { useReplay, sourceText, type ReplaySource } from '../../stores/replay-store';

/** Edited mode: the body and the headers as text. Nothing typed here is ever rendered as HTML. */
export function ReplayEditor({ source }: { source: ReplaySource }) {
  const form = useReplay((s) => s.form);
  const edit = useReplay((s) => s.edit);
  const text = sourceText(source);
  const binary = source.bodyBase64 !== null && text === null;
  return (
    <div className="two-col editor">
      <label>
        <span>
          Body{' '}
          <span className="muted">
            {binary ? '(binary: sent unchanged)' : source.bodyBase64 === null ? '(empty: the original is sent)' : `(${formatSize(new TextEncoder().encode(form.body).length)}, UTF-8 as typed)`}
          </span>
        </span>
        <textarea
          className="mono"
          rows={12}
          spellCheck={false}
          aria-label="Replay body"
          disabled={binary}
          value={binary ? '' : form.body}
          placeholder={source.bodyBase64 === null ? 'Type a body to send instead of the original' : ''}
          onChange={(e) => edit({ body: e.target.value })}
        />
      </label>
      <label>
        <span>
          Headers <span className="muted">(one "Name: value" per line; delete a line to drop it)</span>
        </span>
        <textarea className="mono" rows={12} spellCheck={false} aria-label="Replay headers" value={form.headers} onChange={(e) => edit({ headers: e.target.value })} />
      </label>
    </div>
  );
}
