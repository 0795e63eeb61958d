import { create } from 'zustand';
import type { DeliverySummary } from '../../../shared/types';
import { call } from './connection-store';
import { cleanFilters, type DeliveryFilters } from './delivery-filters';

/** Further below the loaded rows than this, a jump fetches rows where it lands instead of paging down to them. */
export const FAR_GAP = 1000;
const MARGIN = 100;

interface FarState {
  /** Rows fetched by offset deep in the list, for the list `generation` they were fetched for. */
  start: number;
  rows: DeliverySummary[];
  generation: number;
}

/** Rows deep in the list, fetched by position; the contiguous rows from the top stay in the deliveries store. */
export const useFarRows = create<FarState>(() => ({ start: 0, rows: [], generation: -1 }));

let inFlight = false;
let latest: { start: number; end: number; generation: number; filters: DeliveryFilters } | null = null;

const covers = (s: FarState, start: number, end: number, generation: number) =>
  s.generation === generation && start >= s.start && end <= s.start + s.rows.length;

/** The rows of [start, end) are wanted; fetches them (one request at a time, the latest wish last). */
export function wantFar(start: number, end: number, generation: number, filters: DeliveryFilters): void {
  latest = { start, end, generation, filters };
  if (inFlight || covers(useFarRows.getState(), start, end, generation)) return;
  void fetchLatest();
}

async function fetchLatest(): Promise<void> {
  inFlight = true;
  try {
    while (latest && !covers(useFarRows.getState(), latest.start, latest.end, latest.generation)) {
      const wish = latest;
      const offset = Math.max(0, wish.start - MARGIN);
      const limit = Math.min(2000, wish.end - wish.start + 2 * MARGIN);
      try {
        const rows = await call('deliveries.list', { ...cleanFilters(wish.filters), offset, limit });
        useFarRows.setState({ start: offset, rows, generation: wish.generation });
      } catch {
        // The rows stay placeholders; the next scroll asks again.
        return;
      }
    }
  } finally {
    inFlight = false;
  }
}

/** Rows came or went above the far window: it moves with them. */
export function shiftFar(by: number): void {
  if (by !== 0) useFarRows.setState((s) => ({ start: s.start + by }));
}

export function farRow(s: FarState, index: number, generation: number): DeliverySummary | undefined {
  return s.generation === generation ? s.rows[index - s.start] : undefined;
}
