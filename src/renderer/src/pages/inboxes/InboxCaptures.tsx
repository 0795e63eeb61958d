import { useEffect, useRef } from 'react';
import type { InboxSummary } from '../../../../shared/types';
import { Empty, ErrorNote } from '../../components/bits';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { DeliveryCount } from '../deliveries/DeliveryCount';
import { DeliveryDetail } from '../deliveries/DeliveryDetail';
import { DeliveryTable, ROW_HEIGHT } from '../deliveries/DeliveryTable';

const MAX_TABLE_HEIGHT = 420;
/** The column heads and the borders. */
const HEAD_HEIGHT = 32;

/**
 * An inbox's captures are deliveries: the Deliveries list and detail themselves, narrowed to
 * this inbox's address, with the same byte views, diagnosis, replay, fixtures and export.
 */
export function InboxCaptures({ inbox, openFirst = null }: { inbox: InboxSummary; openFirst?: number | null }) {
  const openId = useDeliveries((s) => s.openId);
  const empty = useDeliveries((s) => s.rows.length === 0 && (s.exhausted || s.total === 0));
  const error = useDeliveries((s) => s.error);
  const shown = useDeliveries((s) => (s.exhausted ? s.rows.length : Math.max(s.total ?? 0, s.rows.length)));
  const narrowed = useDeliveries((s) => s.filters.hookId === inbox.id);
  const go = useNav((s) => s.go);
  /** Set when the person takes this list on to the Deliveries page, which then keeps the filter. */
  const handedOn = useRef(false);

  useEffect(() => {
    const before = useDeliveries.getState().filters;
    useDeliveries.setState({ filters: { hookId: inbox.id }, openId: openFirst, cursorId: openFirst });
    useDeliveries.getState().reload();
    return () => {
      if (handedOn.current) return;
      useDeliveries.setState({ filters: before.hookId ? {} : before, openId: null });
      useDeliveries.getState().reload();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- openFirst counts only when the list is first shown
  }, [inbox.id]);

  if (!narrowed) return null;
  if (openId !== null) {
    return (
      <div className="inbox-capture">
        <button type="button" className="btn btn-small" onClick={() => useDeliveries.getState().open(null)}>
          ← All captures
        </button>
        <DeliveryDetail id={openId} onClose={() => useDeliveries.getState().open(null)} />
      </div>
    );
  }
  return (
    <section className="inbox-captures" aria-label="Captures">
      <div className="row">
        <DeliveryCount noun={['capture', 'captures']} />
        <span className="nav-spacer" />
        <button
          type="button"
          className="btn btn-small"
          title="The same list on the Deliveries page, with its search, filters, selection and export"
          onClick={() => {
            handedOn.current = true;
            go('deliveries');
          }}
        >
          Search and export in Deliveries
        </button>
      </div>
      <ErrorNote>{error}</ErrorNote>
      {empty ? (
        <Empty title="Nothing captured yet">
          Point a sender at the URL above, or try it with curl: <code>curl -X POST {inbox.url} -d hello</code>. Every request is kept, signed or not.
        </Empty>
      ) : (
        // As tall as its rows, up to a screenful: a few captures leave no empty box below them.
        <div className="captures-table" style={{ height: Math.min(MAX_TABLE_HEIGHT, HEAD_HEIGHT + ROW_HEIGHT * Math.max(shown, 3)) }}>
          <DeliveryTable />
        </div>
      )}
    </section>
  );
}
