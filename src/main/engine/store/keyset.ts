import { ApiError } from '../../../shared/contract';
import type { Page } from '../../../shared/paging';

/**
 * Keyset paging for the lists that read newest first by row id. A page asks for the rows
 * below the last id it gave (an index range, never OFFSET), so a deep page costs what the
 * first does and rows added meanwhile (higher ids) never shift what is left to read.
 */

/** Above every row id: the first page reads down from here like any other. */
export const NO_ROW_ABOVE = Number.MAX_SAFE_INTEGER;

/** Which list a cursor was given by: one list's cursor is refused by another. */
export type ListName = 'deliveries' | 'activity' | 'releases' | 'attempts' | 'messages' | 'captures';

export function encodeCursor(list: ListName, lastId: number): string {
  return Buffer.from(`${list}:${lastId}`, 'utf8').toString('base64url');
}

/** The id to read below; a cursor that this list did not give is refused, naming the list. */
export function decodeCursor(list: ListName, cursor: string | undefined): number {
  if (cursor === undefined) return NO_ROW_ABOVE;
  const match = /^([a-z]+):(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(id) || id < 1) {
    throw new ApiError('invalid_params', `Invalid cursor "${cursor.slice(0, 40)}": give back a cursor exactly as a page of ${list} printed it.`);
  }
  if (match[1] !== list) throw new ApiError('invalid_params', `That cursor belongs to the list of ${match[1]}, not of ${list}.`);
  return id;
}

/** The page a read of `limit + 1` rows gives: the extra row only says that another page follows. */
function pageOf<T extends { id: number }>(list: ListName, limit: number, rows: T[], total: number | undefined): Page<T> {
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const nextCursor = rows.length > limit ? encodeCursor(list, items.at(-1)!.id) : null;
  return { items, nextCursor, ...(total !== undefined ? { total } : {}) };
}

/**
 * One page from a query that reads `limit` rows below an id: one row more is read to know
 * whether another page follows, so the last page says so instead of a further empty one.
 */
export function keysetPage<T extends { id: number }>(
  list: ListName,
  params: { cursor?: string | undefined; limit: number; total?: boolean | undefined },
  read: (beforeId: number, limit: number) => T[],
  count: () => number,
): Page<T> {
  const rows = read(decodeCursor(list, params.cursor), params.limit + 1);
  return pageOf(list, params.limit, rows, params.total ? count() : undefined);
}

/** keysetPage over a store that answers asynchronously (PostgreSQL): the same pages and cursors. */
export async function keysetPageAsync<T extends { id: number }>(
  list: ListName,
  params: { cursor?: string | undefined; limit: number; total?: boolean | undefined },
  read: (beforeId: number, limit: number) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const rows = await read(decodeCursor(list, params.cursor), params.limit + 1);
  return pageOf(list, params.limit, rows, params.total ? await count() : undefined);
}
