import { useLayoutEffect, useRef, useState, type ReactNode, type UIEvent } from 'react';

interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Rendered above the rows, sticky while scrolling. */
  header?: ReactNode;
  renderRow(index: number): ReactNode;
  /** The rows on screen changed (start inclusive, end exclusive; without the overscan). */
  onRange?(start: number, end: number): void;
  /** Scroll just enough to show this row. */
  revealIndex?: number | null;
  /** When this changes, jump back to the top. */
  resetKey?: unknown;
  /** Rows inserted above: keep what is on screen where it is. */
  anchorShift?: number;
  overscan?: number;
  className?: string;
  ariaLabel?: string;
  ariaRowCount?: number;
  role?: string;
}

/**
 * Fixed-height windowing: only the rows in view (plus a few) exist in the DOM,
 * so a list of a million rows costs what a list of forty does.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, overscan = 8 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const frame = useRef(0);
  const lastShift = useRef(props.anchorShift ?? 0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight - (head.current?.offsetHeight ?? 0));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [props.resetKey]);

  useLayoutEffect(() => {
    const shift = props.anchorShift ?? 0;
    const delta = shift - lastShift.current;
    lastShift.current = shift;
    const el = scroller.current;
    // At the very top the new rows should come into view; further down, stay put.
    if (el && delta > 0 && el.scrollTop > 0) {
      el.scrollTop += delta * rowHeight;
      setScrollTop(el.scrollTop);
    }
  }, [props.anchorShift, rowHeight]);

  useLayoutEffect(() => {
    const el = scroller.current;
    const i = props.revealIndex;
    if (!el || i === null || i === undefined || i < 0) return;
    const top = i * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + viewport) el.scrollTop = top + rowHeight - viewport;
    setScrollTop(el.scrollTop);
  }, [props.revealIndex, rowHeight, viewport]);

  const firstVisible = Math.min(count, Math.floor(scrollTop / rowHeight));
  const lastVisible = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight));
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, lastVisible + overscan);

  const onRange = props.onRange;
  // Before paint, so keys pressed right after a scroll already see the new range.
  useLayoutEffect(() => {
    onRange?.(firstVisible, lastVisible);
  }, [onRange, firstVisible, lastVisible]);

  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const top = e.currentTarget.scrollTop;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(top));
  };

  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) rows.push(props.renderRow(i));

  return (
    <div
      ref={scroller}
      className={`vlist ${props.className ?? ''}`}
      onScroll={onScroll}
      role={props.role}
      aria-label={props.ariaLabel}
      aria-rowcount={props.ariaRowCount}
    >
      {props.header ? (
        <div ref={head} className="vlist-head" role="rowgroup">
          {props.header}
        </div>
      ) : null}
      <div className="vlist-space" role="rowgroup" style={{ height: count * rowHeight }}>
        <div className="vlist-rows" style={{ transform: `translateY(${start * rowHeight}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
