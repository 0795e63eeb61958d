import { create } from 'zustand';
import type { Page } from '../../../shared/paging';
import { call, reportError, useConnection } from './connection-store';

export interface PagedListState<T> {
  /** Whose list this is (an endpoint's, a package's; '' for one list of everything). */
  key: string | null;
  /** Newest first, contiguous from the newest row. */
  items: T[];
  /** Every row the engine holds for this list; null until counted. */
  total: number | null;
  nextCursor: string | null;
  loading: boolean;
  /** The first page of the current key has arrived. */
  loaded: boolean;
  /** Shows `key`'s list from its first page, counted. */
  load(key: string): Promise<void>;
  /** Shows `key`'s list from a first page read elsewhere (the startup call). */
  adopt(key: string, page: Page<T>): void;
  /** The next page, appended. */
  more(): Promise<void>;
  /** A windowed view needs rows up to `end`: load on when they are not there yet. */
  want(end: number): void;
  /** Reads the first page again and merges it: rows new since on top, changed ones in place, the total current. */
  refresh(): Promise<void>;
  /** A row pushed by the engine: a new one goes on top and counts, a known one is replaced. */
  upsert(item: T): void;
}

/** Page sizes: the first page fills a screen or two; "load more" adds as many again. */
export const PAGE_SIZE = 100;
const MAX_PAGE = 2000;

type Reader<T> = (key: string, cursor: string | undefined, withTotal: boolean, limit?: number) => Promise<Page<T>>;

/**
 * A list read a page at a time through the engine's cursors, its total counted by the
 * engine, kept current by pushes. `belongs` says whether a pushed row is this key's.
 */
export function createPagedList<T extends { id: number }>(read: Reader<T>, belongs: (item: T, key: string) => boolean) {
  return create<PagedListState<T>>((set, get) => {
    /** Bumps on every load, so a page of a list since replaced is dropped. */
    let generation = 0;
    /** What a windowed view has scrolled to: pages load until the rows up to here are in. */
    let wantedEnd = 0;
    let pumping = false;
    async function pump(): Promise<void> {
      if (pumping) return;
      pumping = true;
      try {
        for (;;) {
          const { items, nextCursor } = get();
          if (nextCursor === null || wantedEnd < items.length) return;
          // A deep jump reads what it needs in one go rather than a page at a time.
          if (!(await readMore(Math.min(MAX_PAGE, Math.max(PAGE_SIZE, wantedEnd - items.length + PAGE_SIZE))))) return;
        }
      } finally {
        pumping = false;
      }
    }
    /** Appends the next page; false when it could not (another read under way, a new list, an error). */
    async function readMore(limit = PAGE_SIZE): Promise<boolean> {
      const { key, nextCursor, loading } = get();
      if (key === null || nextCursor === null || loading) return false;
      const mine = generation;
      set({ loading: true });
      try {
        const page = await read(key, nextCursor, false, limit);
        if (mine !== generation) return false;
        const last = get().items.at(-1)?.id ?? Infinity;
        // Rows pushed meanwhile are above the first page; a page only ever adds older ones.
        set((s) => ({ items: s.items.concat(page.items.filter((i) => i.id < last)), nextCursor: page.nextCursor, loading: false }));
        return true;
      } catch (error) {
        if (mine === generation) set({ loading: false });
        reportError(error);
        return false;
      }
    }
    return {
      key: null,
      items: [],
      total: null,
      nextCursor: null,
      loading: false,
      loaded: false,
      async load(key) {
        const mine = ++generation;
        wantedEnd = 0;
        if (get().key !== key) set({ key, items: [], total: null, nextCursor: null, loaded: false });
        set({ loading: true });
        try {
          const page = await read(key, undefined, true);
          if (mine === generation) set({ items: page.items, total: page.total ?? null, nextCursor: page.nextCursor, loading: false, loaded: true });
        } catch (error) {
          if (mine === generation) set({ loading: false });
          reportError(error);
        }
      },
      adopt(key, page) {
        ++generation;
        wantedEnd = 0;
        set({ key, items: page.items, total: page.total ?? null, nextCursor: page.nextCursor, loading: false, loaded: true });
      },
      async more() {
        await readMore();
      },
      want(end) {
        wantedEnd = end;
        if (useConnection.getState().api) void pump();
      },
      async refresh() {
        const { key } = get();
        if (key === null || !get().loaded) return;
        const mine = generation;
        try {
          const page = await read(key, undefined, true);
          if (mine !== generation) return;
          set((s) => {
            const top = s.items[0]?.id ?? 0;
            const fresh = new Map(page.items.map((i) => [i.id, i]));
            return { items: page.items.filter((i) => i.id > top).concat(s.items.map((i) => fresh.get(i.id) ?? i)), total: page.total ?? s.total };
          });
        } catch (error) {
          reportError(error);
        }
      },
      upsert(item) {
        set((s) => {
          if (s.key === null || !s.loaded || !belongs(item, s.key)) return s;
          const at = s.items.findIndex((i) => i.id === item.id);
          if (at !== -1) return { items: s.items.map((i, n) => (n === at ? item : i)) };
          // Older than the rows shown: an update of a row the next pages bring.
          if (s.items.length > 0 && item.id < s.items[0]!.id) return s;
          return { items: [item, ...s.items], total: (s.total ?? s.items.length) + 1 };
        });
      },
    };
  });
}


/** Reads one page of a paged engine list. */
export const pageOf =
  <T>(fetch: (key: string, page: { cursor?: string; limit: number; total: boolean }) => Promise<Page<T>>): Reader<T> =>
  (key, cursor, withTotal, limit = PAGE_SIZE) =>
    fetch(key, { ...(cursor ? { cursor } : {}), limit, total: withTotal });

export { call };
