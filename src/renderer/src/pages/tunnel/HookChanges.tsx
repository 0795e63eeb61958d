import type { HookUrlChange } from '../../../../shared/types';
import { Badge, type Tone } from '../../components/bits';

const OUTCOME: Record<HookUrlChange['outcome'], { label: string; tone: Tone }> = {
  updated: { label: 'updated upstream', tone: 'ok' },
  failed: { label: 'not updated', tone: 'bad' },
  manual: { label: 'repaste by hand', tone: 'warn' },
};

/** Every hook URL a tunnel change moved: old → new, and what became of it or what is left to do. */
export function HookChanges({ by, hooks }: { by: 'create' | 'remove'; hooks: HookUrlChange[] }) {
  const needYou = hooks.filter((h) => h.outcome !== 'updated').length;
  return (
    <section aria-label="Hook URLs that changed" className="hook-changes">
      <h4>
        {hooks.length === 0
          ? `No package hook URL changed when the tunnel was ${by === 'create' ? 'created' : 'removed'}.`
          : `Hook URLs that changed (${hooks.length}): ${hooks.length - needYou} updated upstream, ${needYou} ${needYou === 1 ? 'needs' : 'need'} you`}
      </h4>
      {hooks.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th>Package</th>
              <th>Hook URL</th>
              <th>Upstream</th>
            </tr>
          </thead>
          <tbody>
            {hooks.map((h) => (
              <tr key={h.packageId}>
                <td>
                  {h.packageName}
                  <div className="muted small">
                    {h.provider} {h.repo}
                  </div>
                </td>
                <td className="mono small">
                  <div className="muted">{h.oldUrl}</div>
                  <div>→ {h.newUrl}</div>
                </td>
                <td>
                  <Badge tone={OUTCOME[h.outcome].tone}>{OUTCOME[h.outcome].label}</Badge>
                  <div className="small">{h.detail}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
