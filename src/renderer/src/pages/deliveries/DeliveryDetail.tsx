import { useEffect, useState } from 'react';
import type { DeliveryDetail as Detail } from '../../../../shared/types';
import { Badge, ErrorNote, outcomeTone } from '../../components/bits';
import { HeadersTable } from '../../components/HeadersTable';
import { formatSize, requestLine, shown } from '../../lib/bytes';
import { describeError } from '../../lib/errors';
import { when } from '../../lib/format';
import { call } from '../../stores/connection-store';
import { locate } from '../../stores/delivery-filters';
import { useDeliveries } from '../../stores/deliveries-store';
import { inboxName, useInboxes } from '../../stores/inboxes-store';
import { packageName, usePackages } from '../../stores/packages-store';
import { BodyView } from './BodyView';
import { DeliveryActions } from './DeliveryActions';
import { ReplayHistory } from './ReplayHistory';
import { DiagnoseSection } from './DiagnoseSection';
import { ForwardResults } from './ForwardResults';

/** Payloads are hostile: everything below is rendered as text nodes, never as HTML. */
export function DeliveryDetail({ id, onClose }: { id: number; onClose(): void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const packages = usePackages((s) => s.packages);
  const inboxes = useInboxes((s) => s.inboxes);
  // A pending delivery is pushed again once ingested: load it again when its outcome changes.
  const outcome = useDeliveries((s) => {
    const at = locate(s.rows, id);
    return at.found ? s.rows[at.index]!.outcome : null;
  });

  useEffect(() => {
    let current = true;
    setError(null);
    call('deliveries.get', { id }).then(
      (d) => current && setDetail(d),
      (e: unknown) => current && setError(describeError(e)),
    );
    return () => {
      current = false;
    };
  }, [id, outcome]);

  if (error) return <ErrorNote>{error}</ErrorNote>;
  if (!detail || detail.id !== id) return <p className="muted">Loading delivery #{id}…</p>;

  return (
    <div className="detail" aria-label={`Delivery ${detail.id}`}>
      <header className="detail-head">
        <div className="title-row">
          <h2>
            Delivery #{detail.id} <Badge tone={outcomeTone(detail.outcome)}>{detail.outcome.replace('_', ' ')}</Badge>
          </h2>
          <DeliveryActions detail={detail} onClose={onClose} />
        </div>
        <span className="muted">
          {when(detail.receivedAt)} · {detail.event !== null ? shown(detail.event) : 'no event header'} · via {detail.source} · answered {detail.statusCode} · {formatSize(detail.bodySize)}
        </span>
      </header>
      {detail.outcomeReason && !(detail.verdictDetail && detail.outcomeReason.includes(detail.verdictDetail.reason)) ? (
        <p className="reason">{shown(detail.outcomeReason)}</p>
      ) : null}
      <section className="card">
        <dl className="kv">
          {detail.method ? (
            <>
              <dt>Inbox</dt>
              <dd>{inboxName(inboxes, detail.hookId) || detail.hookId}</dd>
              <dt>Request</dt>
              <dd className="mono" data-testid="request-line">
                {requestLine(detail, Infinity)}
              </dd>
            </>
          ) : (
            <>
              <dt>Package</dt>
              <dd>{packageName(packages, detail.packageId) || '—'}</dd>
            </>
          )}
          <dt>Delivery id</dt>
          <dd className="mono">{shown(detail.providerDeliveryId) || '—'}</dd>
          {detail.tag ? (
            <>
              <dt>Tag</dt>
              <dd className="mono">{shown(detail.tag)}</dd>
            </>
          ) : null}
          <dt>From</dt>
          <dd className="mono">{detail.remoteAddress ?? '—'}</dd>
          {detail.duplicateOf !== null ? (
            <>
              <dt>Duplicate of</dt>
              <dd>
                <button type="button" className="link" onClick={() => useDeliveries.getState().open(detail.duplicateOf)}>
                  #{detail.duplicateOf}
                </button>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <DiagnoseSection id={detail.id} verdict={detail.verdict} detail={detail.verdictDetail} />
      <section className="card" aria-label="Request headers">
        <h3>
          Headers <span className="muted">{detail.headers.length}</span>
        </h3>
        <HeadersTable headers={detail.headers} label="Request headers" revealRef={`delivery:${detail.id}`} />
      </section>
      <BodyView key={detail.id} bodyBase64={detail.bodyBase64} contentType={detail.contentType} size={detail.bodySize} truncated={detail.bodyTruncated} />
      {detail.method ? <ForwardResults deliveryId={detail.id} /> : null}
      <ReplayHistory id={detail.id} />
    </div>
  );
}
