import { useCallback, useMemo } from 'react';
import { VirtualList } from '../../components/VirtualList';
import { locate } from '../../stores/delivery-filters';
import { useDeliveries } from '../../stores/deliveries-store';
import { inboxName, useInboxes } from '../../stores/inboxes-store';
import { farRow, useFarRows } from '../../stores/deliveries-far';
import { packageName, usePackages } from '../../stores/packages-store';
import { DeliveryHeader, DeliveryRow, PlaceholderRow } from './DeliveryRow';

export const ROW_HEIGHT = 28;

/** Every matching delivery, windowed: scrolling loads older pages as they come into view. */
export function DeliveryTable() {
  const rows = useDeliveries((s) => s.rows);
  const total = useDeliveries((s) => s.total);
  const exhausted = useDeliveries((s) => s.exhausted);
  const generation = useDeliveries((s) => s.generation);
  const prepended = useDeliveries((s) => s.prepended);
  const cursorId = useDeliveries((s) => s.cursorId);
  const openId = useDeliveries((s) => s.openId);
  const want = useDeliveries((s) => s.want);
  const open = useDeliveries((s) => s.open);
  const selected = useDeliveries((s) => s.selected);
  const toggle = useDeliveries((s) => s.toggleSelected);
  const packages = usePackages((s) => s.packages);
  const inboxes = useInboxes((s) => s.inboxes);
  const far = useFarRows();

  const names = useMemo(() => new Map(packages.map((p) => [p.id, p.name])), [packages]);
  const count = exhausted ? rows.length : Math.max(total ?? 0, rows.length);
  const cursorIndex = cursorId === null ? null : locate(rows, cursorId);
  const onRange = useCallback((start: number, end: number) => want(end, start), [want]);

  return (
    <VirtualList
      role="table"
      ariaLabel="Deliveries"
      ariaRowCount={count + 1}
      className="dtable"
      count={count}
      rowHeight={ROW_HEIGHT}
      header={<DeliveryHeader />}
      resetKey={generation}
      anchorShift={prepended}
      revealIndex={cursorIndex?.found ? cursorIndex.index : null}
      onRange={onRange}
      renderRow={(i) => {
        const d = rows[i] ?? farRow(far, i, generation);
        if (!d) return <PlaceholderRow key={`p${i}`} index={i} />;
        return (
          <DeliveryRow
            key={d.id}
            d={d}
            index={i}
            packageName={d.packageId ? (names.get(d.packageId) ?? packageName(packages, d.packageId)) : inboxName(inboxes, d.hookId)}
            cursor={d.id === cursorId}
            open={d.id === openId}
            selected={selected.has(d.id)}
            onOpen={open}
            onToggle={toggle}
          />
        );
      }}
    />
  );
}
