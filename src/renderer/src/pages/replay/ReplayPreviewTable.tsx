import type { ReplayEffect } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { shown } from '../../lib/bytes';
import { replayable } from '../../lib/replay-request';
import type { ReplayForm, ReplaySource } from '../../stores/replay-store';
import { useReplayPreview } from './useReplayPreview';

/** A replay that publishes or sends stands out: it reaches other systems. */
const EFFECT_TONE: Partial<Record<ReplayEffect['outcome'], string>> = { publishes: 'warn', checks_failed: 'warn', tag_deleted: 'warn', rejected: 'bad' };

/** The headers that will be sent, changed ones marked, updated as the user types. */
export function ReplayPreviewTable({ source, form }: { source: ReplaySource; form: ReplayForm }) {
  const preview = useReplayPreview(source, form);
  const before = new Map(replayable(source.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const after = new Set(preview.headers.map(([k]) => k.toLowerCase()));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  return (
    <section className="preview" aria-label="Headers to be sent" aria-busy={preview.pending}>
      {preview.effect ? (
        <p className={`effect tone-${EFFECT_TONE[preview.effect.outcome] ?? 'muted'}`} role="note" data-testid="replay-effect">
          {preview.effect.text}
        </p>
      ) : null}
      {preview.target ? (
        <p className="mono replay-target" data-testid="replay-target">
          {shown(preview.method ?? source.method ?? 'POST')} {shown(preview.target)}
        </p>
      ) : null}
      <div className="section-head">
        <h4>
          Headers to be sent{' '}
          <span className="muted">
            {preview.signedAs ? `· signed as ${preview.signedAs}` : form.mode === 'exact' ? '· as captured' : ''}
            {preview.pending ? ' · updating…' : ''}
          </span>
        </h4>
      </div>
      <ErrorNote>{preview.error}</ErrorNote>
      <table className="grid mono headers preview-table" data-testid="replay-preview">
        <tbody>
          {preview.headers.map(([k, v], i) => {
            const was = before.get(k.toLowerCase());
            const state = was === undefined ? 'added' : was !== v ? 'changed' : '';
            return (
              <tr key={i} className={state} title={state ? (state === 'added' ? 'Added' : `Was: ${shown(was)}`) : undefined}>
                <th scope="row">{shown(k)}</th>
                <td>{shown(v)}</td>
              </tr>
            );
          })}
          {removed.map((k) => (
            <tr key={`-${k}`} className="removed" title="Not sent">
              <th scope="row">{shown(k)}</th>
              <td>(dropped)</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.notes.map((n) => (
        <p key={n} className="muted note">
          {n}
        </p>
      ))}
    </section>
  );
}
