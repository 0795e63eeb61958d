import type { Page } from '../../shared/paging';
import type { CommandContext } from './context';
import { integer, optional } from './option-values';
import { table, tableLayout } from './output';

/** How one list command reads a page and shows a row. */
export interface Listing<T> {
  read(cursor: string | undefined, limit: number): Promise<Page<T>>;
  row(item: T): Record<string, unknown>;
  columns: string[];
}

/** Rows per call while streaming with --all: big enough to be quick, small enough to keep memory flat. */
const STREAM_PAGE = 1000;

/**
 * A list command's output. One page (`--limit`, from `--cursor`), its next cursor printed
 * after it or carried as `nextCursor` in JSON; or with `--all` every row, written page by
 * page as it is read (NDJSON, one object a line, with `--json`).
 */
export async function printList<T>(ctx: CommandContext, listing: Listing<T>, defaultLimit = 100): Promise<void> {
  const all = ctx.options.all === true;
  const limit = integer(ctx, 'limit', 1, 10_000) ?? (all ? STREAM_PAGE : defaultLimit);
  let cursor = optional(ctx, 'cursor');
  if (!all) {
    const { items, nextCursor } = await listing.read(cursor, limit);
    ctx.out.data({ items, nextCursor }, () =>
      [table(items.map(listing.row), listing.columns), ...(nextCursor ? [`More: the same command with --cursor ${nextCursor}`] : [])].join('\n'),
    );
    return;
  }
  let layout: ReturnType<typeof tableLayout> | null = null;
  do {
    const page = await listing.read(cursor, limit);
    if (ctx.out.json) {
      await ctx.out.stream(page.items.map((item) => JSON.stringify(item) + '\n').join(''));
    } else if (page.items.length > 0) {
      const rows = page.items.map(listing.row);
      // The first page sets the columns' widths, so the table reads as one.
      const head = layout ? [] : [(layout = tableLayout(rows, listing.columns)).header];
      await ctx.out.stream([...head, ...rows.map(layout.row)].join('\n') + '\n');
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (!layout && !ctx.out.json) await ctx.out.stream('(none)\n');
}
