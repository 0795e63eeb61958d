import type { ProviderDelivery, ProviderDeliveries } from '../../../../shared/types';
import { Badge, Empty, outcomeTone, statusTone } from '../../components/bits';
import { shown } from '../../lib/bytes';
import { millis, shortTime, when } from '../../lib/format';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { usePackageOps } from '../../stores/package-ops-store';

interface Props {
  pkgId: string;
  history: Omit<ProviderDeliveries, 'deliveries'> & { deliveries: ProviderDelivery[] };
  busy: boolean;
}

/** What the provider says it delivered, next to what Hookbench received. */
export function ProviderHistory({ pkgId, history: h, busy }: Props) {
  const more = usePackageOps((s) => s.history);
  const open = (id: number) => {
    useDeliveries.getState().open(id);
    useNav.getState().go('deliveries');
  };
  return (
    <div className="card op-result" aria-label="Provider log">
      <strong>Provider log</strong>
      {h.message ? <p className="muted">{shown(h.message)}</p> : null}
      {!h.supported ? null : h.deliveries.length === 0 ? (
        <Empty title="The provider lists no deliveries for this hook" />
      ) : (
        <table className="grid" aria-label="Provider deliveries">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Provider says</th>
              <th>Duration</th>
              <th>Hookbench</th>
            </tr>
          </thead>
          <tbody>
            {h.deliveries.map((d) => (
              <tr key={d.id}>
                <td className="mono nowrap" title={d.deliveredAt !== null ? when(d.deliveredAt) : 'The provider does not say when'}>
                  {d.deliveredAt !== null ? shortTime(d.deliveredAt) : '—'}
                  {d.redelivery ? <span className="muted"> (redelivery)</span> : null}
                </td>
                <td>
                  {shown(d.event)}
                  {d.action ? <span className="muted"> · {shown(d.action)}</span> : null}
                </td>
                <td>
                  <Badge tone={statusTone(d.statusCode)}>{d.statusCode}</Badge> <span className="muted">{shown(d.status)}</span>
                </td>
                <td className="num">{millis(d.durationMs)}</td>
                <td>
                  {d.hookbench ? (
                    <button type="button" className="link" onClick={() => open(d.hookbench!.id)}>
                      #{d.hookbench.id}
                    </button>
                  ) : (
                    <Badge tone="bad">never arrived</Badge>
                  )}{' '}
                  {d.hookbench ? <Badge tone={outcomeTone(d.hookbench.outcome)}>{d.hookbench.outcome}</Badge> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {h.nextCursor ? (
        <button type="button" className="btn btn-small more" disabled={busy} onClick={() => void more(pkgId, true)}>
          Older
        </button>
      ) : null}
    </div>
  );
}
