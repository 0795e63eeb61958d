import { create } from 'zustand';
import type { DeliverySummary } from '../../../shared/types';
import { FIRST_SCREEN } from '../../../shared/first-screen';
import { describeError } from '../lib/errors';
import { call, useConnection } from './connection-store';
import { cleanFilters, locate, matches, type DeliveryFilters } from './delivery-filters';
import { recallHead, rememberHead } from './deliveries-head-cache';
import { FAR_GAP, shiftFar, wantFar } from './deliveries-far';
import { createCounter } from './deliveries-count';

const FIRST_PAGE = FIRST_SCREEN.deliveries;
const MAX_PAGE = 2000;
const FLUSH_MS = 80;

export interface DeliveriesState {
  filters: DeliveryFilters;
  /** Newest first, contiguous from the newest matching delivery. */
  rows: DeliverySummary[];
  /** Matching deliveries in the engine (null until counted). */
  total: number | null;
  /** Every matching delivery is loaded. */
  exhausted: boolean;
  loading: boolean;
  error: string | null;
  /** Bumps whenever the list is reset, so views can scroll back to the top. */
  generation: number;
  /** Rows inserted at the top since the last reset, so a scrolled view can stay anchored. */
  prepended: number;
  /** The table needs rows up to this index. */
  wantedEnd: number;
  cursorId: number | null;
  openId: number | null;
  /** Picked for export (Ctrl-click, or x): kept across filter changes until cleared. */
  selected: ReadonlySet<number>;
  setFilters(patch: Partial<DeliveryFilters>): void;
  clearFilters(): void;
  reload(): void;
  /**
   * The first page of the view shown, read by the startup call (and its count when the engine
   * had it at hand); false when the view changed since that call was made, so it does not fit.
   */
  adopt(rows: DeliverySummary[], total: number | null, generation: number): boolean;
  /** Rows stored while the push channel was not yet open: the newest page read again and merged. */
  catchUp(): void;
  want(end: number, start?: number): void;
  onDelivery(delivery: DeliverySummary): void;
  moveCursor(delta: number): void;
  setCursor(id: number | null): void;
  open(id: number | null): void;
  toggleSelected(id: number): void;
  clearSelection(): void;
}

/** The page-loading loop under way, if any. */
let pumping: Promise<void> | null = null;
let queue: DeliverySummary[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
/** The first row on screen, where the keyboard cursor starts; not state, nothing renders from it. */
let viewStart = 0;

export const useDeliveries = create<DeliveriesState>((set, get) => {
  /** Loads pages until the rows the table wants are there. One loop at a time: a second call joins it. */
  function pump(): Promise<void> {
    pumping ??= loadPages().finally(() => {
      pumping = null;
    });
    return pumping;
  }

  async function loadPages(): Promise<void> {
    for (;;) {
      const s = get();
      if (s.exhausted || (s.rows.length > 0 && s.wantedEnd < s.rows.length)) return;
      const generation = s.generation;
      const last = s.rows[s.rows.length - 1];
      const limit = last ? Math.min(MAX_PAGE, Math.max(FIRST_PAGE, s.wantedEnd - s.rows.length + FIRST_PAGE)) : FIRST_PAGE;
      set({ loading: true });
      let page: DeliverySummary[];
      try {
        page = await call('deliveries.list', { ...cleanFilters(s.filters), ...(last ? { beforeId: last.id } : {}), limit });
      } catch (error) {
        // A page of a list that was since replaced failing says nothing about the new one: load that.
        if (get().generation !== generation) continue;
        set({ loading: false, error: describeError(error) });
        return;
      }
      const now = get();
      if (now.generation !== generation) continue;
      const tail = now.rows[now.rows.length - 1];
      const fresh = tail ? page.filter((d) => d.id < tail.id) : page;
      const exhausted = page.length < limit;
      const rows = now.rows.concat(fresh);
      set({ rows, exhausted, loading: false, error: null, ...(exhausted ? { total: rows.length } : {}) });
      remember();
    }
  }

  function remember(): void {
    const s = get();
    rememberHead(s.filters, s, FIRST_PAGE);
  }

  /**
   * A view seen lately is painted from its remembered first rows at once; its newest page is then
   * fetched again and replaces them (the same rows keep their place), and paging goes on from there.
   */
  async function revalidate(): Promise<void> {
    const { generation, filters } = get();
    try {
      const page = await call('deliveries.list', { ...cleanFilters(filters), limit: FIRST_PAGE });
      if (get().generation !== generation) return;
      const exhausted = page.length < FIRST_PAGE;
      set((s) => ({ rows: page, exhausted, error: null, ...(exhausted ? { total: page.length } : { total: s.total }) }));
      remember();
    } catch (error) {
      if (get().generation === generation) set({ error: describeError(error) });
    }
  }

  const { recount, scheduleRecount } = createCounter(get, set, remember);

  /** With a text search the engine decides what matches: fetch the newest rows again and merge. */
  async function refreshHead(): Promise<void> {
    const { generation, filters } = get();
    try {
      const page = await call('deliveries.list', { ...cleanFilters(filters), limit: FIRST_PAGE });
      if (get().generation !== generation) return;
      // The top as it is now: a page that arrived meanwhile may have brought the same rows.
      const top = get().rows[0]?.id ?? 0;
      const newer = page.filter((d) => d.id > top);
      if (newer.length === FIRST_PAGE) return get().reload();
      set((s) => {
        const next = s.rows.slice();
        for (const d of page) {
          const at = locate(next, d.id);
          if (at.found) next[at.index] = d;
        }
        return { rows: newer.concat(next), prepended: s.prepended + newer.length };
      });
      scheduleRecount();
    } catch (error) {
      set({ error: describeError(error) });
    }
  }

  function flush(): void {
    flushTimer = null;
    const batch = queue;
    queue = [];
    const s = get();
    if (s.filters.q) {
      void refreshHead();
      return;
    }
    const rows = s.rows.slice();
    let total = s.total ?? 0;
    let prepended = 0;
    for (const d of batch) {
      const at = locate(rows, d.id);
      const ok = matches(d, s.filters);
      if (at.found) {
        if (ok) rows[at.index] = d;
        else {
          rows.splice(at.index, 1);
          total--;
        }
      } else if (ok) {
        // Older than everything loaded: the next page brings it.
        if (at.index === rows.length && !s.exhausted && rows.length > 0) continue;
        rows.splice(at.index, 0, d);
        total++;
        if (at.index <= prepended) prepended++;
      }
    }
    set({ rows, total: Math.max(total, 0), prepended: s.prepended + prepended });
    shiftFar(rows.length - s.rows.length);
    remember();
    scheduleRecount();
  }

  return {
    filters: {},
    rows: [],
    total: null,
    exhausted: false,
    loading: false,
    error: null,
    generation: 0,
    prepended: 0,
    wantedEnd: 0,
    cursorId: null,
    openId: null,
    selected: new Set<number>(),
    setFilters(patch) {
      set((s) => ({ filters: { ...s.filters, ...patch } }));
      get().reload();
    },
    clearFilters() {
      set({ filters: {} });
      get().reload();
    },
    adopt(rows, total, generation) {
      if (get().generation !== generation) return false;
      queue = [];
      const exhausted = rows.length < FIRST_PAGE;
      set((s) => ({ rows, total: exhausted ? rows.length : total, exhausted, loading: false, error: null, prepended: 0, wantedEnd: 0, generation: s.generation + 1 }));
      remember();
      if (get().total === null) void recount();
      return true;
    },
    catchUp() {
      void refreshHead();
    },
    reload() {
      queue = [];
      const seen = recallHead(get().filters);
      set((s) => ({
        rows: seen?.rows ?? [],
        total: seen?.total ?? null,
        exhausted: seen?.exhausted ?? false,
        error: null,
        prepended: 0,
        wantedEnd: 0,
        generation: s.generation + 1,
      }));
      // The page is asked for first and the count right behind it, not after its answer: the engine
      // answers the page first and counts that must read rows aside, so neither waits for the other.
      void (seen ? revalidate().then(pump) : pump());
      void recount();
    },
    want(end, start) {
      if (start !== undefined) viewStart = start;
      const s = get();
      // Far below what is loaded (a jump, a drag of the scrollbar): fetch the rows where the view is, not every page on the way.
      if (start !== undefined && !s.exhausted && start > s.rows.length + FAR_GAP && useConnection.getState().api) {
        wantFar(start, end, s.generation, s.filters);
        return;
      }
      // What is on screen now, not the furthest ever seen: scrolling back up stops the paging.
      if (end !== get().wantedEnd) set({ wantedEnd: end });
      // Before the first screen's call is answered (generation 0) there is nothing to ask: that call brings the first page.
      if (end >= get().rows.length && get().generation > 0 && useConnection.getState().api) void pump();
    },
    onDelivery(delivery) {
      queue.push(delivery);
      if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
    },
    moveCursor(delta) {
      const { rows, cursorId } = get();
      if (rows.length === 0) return;
      const at = cursorId === null ? null : locate(rows, cursorId);
      // No cursor yet, or its row went away: start from what is on screen.
      const from = at?.found ? at.index : Math.min(viewStart, rows.length) - (delta > 0 ? 1 : 0);
      const to = Math.max(0, Math.min(rows.length - 1, from + delta));
      set({ cursorId: rows[to]!.id });
      if (to >= rows.length - 20) get().want(to + FIRST_PAGE);
    },
    setCursor: (id) => set({ cursorId: id }),
    open: (id) => set(id === null ? { openId: null } : { openId: id, cursorId: id }),
    toggleSelected: (id) =>
      set((s) => {
        const selected = new Set(s.selected);
        if (!selected.delete(id)) selected.add(id);
        return { selected };
      }),
    clearSelection: () => set({ selected: new Set<number>() }),
  };
});
