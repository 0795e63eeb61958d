import type { StoreApi } from 'zustand';
import { describeError } from '../lib/errors';
import { call } from './connection-store';
import { cleanFilters } from './delivery-filters';
import type { DeliveriesState } from './deliveries-store';

const RECOUNT_MS = 1500;

/** How the Deliveries list keeps its count: asked for beside a page, and again a while after pushed rows. */
export function createCounter(get: () => DeliveriesState, set: StoreApi<DeliveriesState>['setState'], remember: () => void) {
  let recountTimer: ReturnType<typeof setTimeout> | null = null;
  let counting = false;
  let countAgain = false;

  /**
   * One count in flight at a time, for the view shown when it starts; a view left meanwhile is
   * counted again once it returns. A count of a text or event filter reads every stored row and
   * may take seconds: piled up, they held the browser's few connections to the engine, and the
   * next view's page queued behind them.
   */
  async function recount(): Promise<void> {
    if (counting) {
      countAgain = true;
      return;
    }
    counting = true;
    try {
      await countOnce();
    } finally {
      counting = false;
      if (countAgain) {
        countAgain = false;
        void recount();
      }
    }
  }

  async function countOnce(): Promise<void> {
    const { generation, filters } = get();
    try {
      const { count } = await call('deliveries.count', cleanFilters(filters));
      if (get().generation === generation) {
        set((s) => ({ total: s.exhausted ? Math.max(count, s.rows.length) : count }));
        remember();
      }
    } catch (error) {
      set({ error: describeError(error) });
    }
  }

  function scheduleRecount(): void {
    if (recountTimer) clearTimeout(recountTimer);
    recountTimer = setTimeout(() => {
      recountTimer = null;
      void recount();
    }, RECOUNT_MS);
  }

  return { recount, scheduleRecount };
}
