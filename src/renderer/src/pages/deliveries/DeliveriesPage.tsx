import { Suspense, useRef } from 'react';
import { Empty, ErrorNote, Kbd } from '../../components/bits';
import { typingIn, useKeydown } from '../../hooks/useKeys';
import { useDeliveries } from '../../stores/deliveries-store';
import { useNav } from '../../stores/nav-store';
import { DeliveryCount } from './DeliveryCount';
import { DeliveryFilters } from './DeliveryFilters';
import { DeliveryDetail } from '../lazy';
import { DeliveryTable } from './DeliveryTable';
import { NoDeliveries } from './NoDeliveries';
import { TransferButtons } from './TransferButtons';
import { useReplay } from '../../stores/replay-store';
import { useTransfer } from '../../stores/transfer-store';

export function DeliveriesPage() {
  const searchRef = useRef<HTMLInputElement>(null);
  const openId = useDeliveries((s) => s.openId);
  const cursorId = useDeliveries((s) => s.cursorId);
  const empty = useDeliveries((s) => s.rows.length === 0 && (s.exhausted || s.total === 0));
  const error = useDeliveries((s) => s.error);
  const reload = useDeliveries((s) => s.reload);
  const moveCursor = useDeliveries((s) => s.moveCursor);
  const open = useDeliveries((s) => s.open);
  const toggleSelected = useDeliveries((s) => s.toggleSelected);
  const helpOpen = useNav((s) => s.helpOpen);
  const replaying = useReplay((s) => s.source !== null);
  const transferring = useTransfer((s) => s.exportOpen || s.importOpen);
  const dialogOpen = replaying || transferring;

  useKeydown((e) => {
    if (helpOpen || dialogOpen || e.altKey || e.ctrlKey || e.metaKey) return;
    if (typingIn(e.target)) return;
    if (e.key === '/') {
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    } else if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      moveCursor(1);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      moveCursor(-1);
    } else if (e.key === 'PageDown') {
      e.preventDefault();
      moveCursor(20);
    } else if (e.key === 'PageUp') {
      e.preventDefault();
      moveCursor(-20);
    } else if (e.key === 'x' && cursorId !== null) {
      e.preventDefault();
      toggleSelected(cursorId);
    } else if (e.key === 'Enter' && cursorId !== null && !(e.target as HTMLElement).closest?.('button, a, summary')) {
      e.preventDefault();
      open(cursorId);
    } else if (e.key === 'Escape' && openId !== null) {
      open(null);
    }
  });

  return (
    <div className="split stacks">
      <section className="list-pane wide deliveries" aria-label="Delivery list">
        <div className="pane-head">
          <h2>Deliveries</h2>
          <DeliveryCount />
          <span className="nav-spacer" />
          <TransferButtons />
        </div>
        <DeliveryFilters searchRef={searchRef} />
        {error ? (
          <div className="inline-error">
            <ErrorNote>{error}</ErrorNote>
            <button type="button" className="btn btn-small" onClick={reload}>
              Retry
            </button>
          </div>
        ) : null}
        {empty ? <NoDeliveries /> : <DeliveryTable />}
        <div className="hint muted">
          <Kbd>j</Kbd>
          <Kbd>k</Kbd> move · <Kbd>Enter</Kbd> open · <Kbd>x</Kbd> select · <Kbd>/</Kbd> search · <Kbd>?</Kbd> all keys
        </div>
      </section>
      <main className="main-pane">
        {openId !== null ? (
          <Suspense fallback={<p className="muted pad">Loading…</p>}>
            <DeliveryDetail id={openId} onClose={() => open(null)} />
          </Suspense>
        ) : (
          <Empty title="Pick a delivery">
            Click a row, or move with <Kbd>j</Kbd>/<Kbd>k</Kbd> and press <Kbd>Enter</Kbd>, to see its headers, the exact body and why
            its signature passed or failed.
          </Empty>
        )}
      </main>
    </div>
  );
}
