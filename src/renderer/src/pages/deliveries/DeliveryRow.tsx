import { memo, type MouseEvent } from 'react';
import type { DeliverySummary } from '../../../../shared/types';
import { Badge, outcomeTone, statusTone } from '../../components/bits';
import { shortTime, when } from '../../lib/format';
import { requestLine, shown } from '../../lib/bytes';

interface RowProps {
  d: DeliverySummary;
  index: number;
  packageName: string;
  cursor: boolean;
  open: boolean;
  selected: boolean;
  onOpen(id: number): void;
  onToggle(id: number): void;
}

/** The full date as a tooltip, made when the pointer gets there rather than for every row drawn. */
function fullTimeTitle(e: MouseEvent<HTMLElement>): void {
  const el = e.currentTarget;
  if (!el.title) el.title = when(Number(el.dataset.at));
}

export const DeliveryRow = memo(function DeliveryRow({ d, index, packageName, cursor, open, selected, onOpen, onToggle }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={open}
      data-id={d.id}
      data-selected={selected || undefined}
      className={`drow ${cursor ? 'cursor' : ''} ${open ? 'open' : ''} ${selected ? 'selected' : ''}`}
      onClick={(e) => (e.ctrlKey || e.metaKey ? onToggle(d.id) : onOpen(d.id))}
    >
      <span role="cell" className="num">
        {d.id}
      </span>
      <span role="cell" className="num time" onMouseEnter={fullTimeTitle} data-at={d.receivedAt}>
        {shortTime(d.receivedAt)}
      </span>
      <span role="cell" className="ellipsis" title={shown(d.event) || undefined}>
        {d.event !== null ? shown(d.event) : <span className="muted">—</span>}
      </span>
      {d.method ? (
        // An inbox capture: its request line where a package delivery has its tag.
        <span role="cell" className="ellipsis mono request-line" title={requestLine(d)}>
          {requestLine(d)}
        </span>
      ) : (
        <span role="cell" className="ellipsis" title={shown(d.tag) || undefined}>
          {shown(d.tag)}
        </span>
      )}
      <span role="cell" className="ellipsis muted received-by" title={packageName}>
        {packageName}
      </span>
      <span role="cell">
        <Badge tone={outcomeTone(d.verdict)}>{d.verdict}</Badge>
      </span>
      <span role="cell" className={`num tone-${statusTone(d.statusCode)}`}>
        {d.statusCode}
      </span>
      <span role="cell" className="outcome-cell" title={shown(d.outcomeReason) || undefined}>
        <Badge tone={outcomeTone(d.outcome)}>{d.outcome.replace('_', ' ')}</Badge>
        {/* Why it was not accepted, in the list itself: the reason is what a person scans for. */}
        {d.outcome !== 'ingested' && d.outcomeReason ? <span className="muted outcome-reason">{shown(d.outcomeReason)}</span> : null}
      </span>
    </div>
  );
});

export function PlaceholderRow({ index }: { index: number }) {
  return (
    <div role="row" aria-rowindex={index + 2} className="drow placeholder" aria-busy="true">
      <span role="cell" className="skeleton" />
    </div>
  );
}

export function DeliveryHeader() {
  return (
    <div role="row" className="drow dhead" aria-rowindex={1}>
      {['#', 'Received', 'Event', 'Tag / request', 'Received by', 'Signature', 'HTTP', 'Outcome'].map((h) => (
        <span key={h} role="columnheader" className={h === 'Received by' ? 'received-by' : undefined}>
          {h}
        </span>
      ))}
    </div>
  );
}
