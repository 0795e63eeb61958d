import type { PagedListState } from '../stores/paged-list';

type Shown = Pick<PagedListState<unknown>, 'items' | 'total' | 'nextCursor' | 'loading' | 'more'>;

/** Under a paged list: how many of how many are shown, and a button for the next page. */
export function LoadMore({ list, what }: { list: Shown; what: string }) {
  if (list.nextCursor === null) return null;
  const { items, total } = list;
  return (
    <div className="load-more" role="status">
      <span className="muted">
        {items.length.toLocaleString()} of {(total ?? items.length).toLocaleString()} {what} shown
      </span>
      <button type="button" className="btn btn-small" disabled={list.loading} onClick={() => void list.more()}>
        {list.loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}

/** "Attempts (6,006)": the list's total, once the engine has counted it. */
export const withTotal = (label: string, total: number | null) => (total === null ? label : `${label} (${total.toLocaleString()})`);
