import type { DeliveryDetail, ReplayView } from '../../../shared/types';
import { shown, visibleText } from '../lib/bytes';
import { millis, when } from '../lib/format';
import { useDeliveries } from '../stores/deliveries-store';
import { useNav } from '../stores/nav-store';
import { Badge, outcomeTone, statusTone } from './bits';
import { HeadersTable } from './HeadersTable';

interface Props {
  replay: ReplayView;
  /** The delivery it became in this Hookbench, when loaded. */
  landed?: DeliveryDetail | null;
  onNavigate?(): void;
}

/** A recorded replay: where it went, what came back, and the delivery it became. All text nodes. */
export function ReplayResult({ replay: r, landed, onNavigate }: Props) {
  const openDelivery = (id: number) => {
    onNavigate?.();
    useDeliveries.getState().open(id);
    useNav.getState().go('deliveries');
  };
  return (
    <section className="card replay-result" aria-label="Replay result">
      <div className="section-head">
        <h3>
          Replay #{r.id} <Badge tone={r.error ? 'bad' : statusTone(r.status)}>{r.status ?? 'no answer'}</Badge>
        </h3>
        <span className="muted" data-testid="replay-duration">
          {r.mode} · {millis(r.durationMs)} · {when(r.createdAt)}
        </span>
      </div>
      <p className="mono url-line">
        {shown(r.method)} {r.targetUrl.startsWith('hookbench:') ? `this Hookbench (${r.targetUrl.slice('hookbench:'.length)})` : r.targetUrl}
      </p>
      {r.error ? <p className="error">{shown(r.error)}</p> : null}
      {r.deliveryId !== null ? (
        <p className="row wrap" data-testid="replay-delivery">
          Became{' '}
          <button type="button" className="link" onClick={() => openDelivery(r.deliveryId!)}>
            delivery #{r.deliveryId}
          </button>
          {landed && landed.id === r.deliveryId ? (
            <>
              <Badge tone={outcomeTone(landed.outcome)}>{landed.outcome.replace('_', ' ')}</Badge>
              <Badge tone={outcomeTone(landed.verdict)}>signature {landed.verdict}</Badge>
              {landed.duplicateOf !== null ? (
                <span>
                  duplicate of{' '}
                  <button type="button" className="link" onClick={() => openDelivery(landed.duplicateOf!)}>
                    #{landed.duplicateOf}
                  </button>
                </span>
              ) : null}
            </>
          ) : null}
        </p>
      ) : null}
      <div className="attempt-detail">
        <div>
          <h4>Sent</h4>
          <HeadersTable headers={r.requestHeaders} label="Replay request headers" />
        </div>
        <div>
          <h4>Response</h4>
          <HeadersTable headers={r.responseHeaders} label="Replay response headers" />
          <pre className="body small" data-testid="replay-response">
            {visibleText(r.responseBody) || '(empty body)'}
          </pre>
        </div>
      </div>
    </section>
  );
}
