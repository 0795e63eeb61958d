import { create } from 'zustand';
import type { InboxForwardResult } from '../../../shared/inbox-types';
import { call } from './connection-store';

interface ForwardsState {
  /** Forward results of the capture open in the detail pane; null until loaded. */
  deliveryId: number | null;
  forwards: InboxForwardResult[] | null;
  load(deliveryId: number): Promise<void>;
  onForward(deliveryId: number, forward: InboxForwardResult): void;
}

/** What each forward target answered for the open capture, kept current by `forward` push events. */
export const useForwards = create<ForwardsState>((set, get) => ({
  deliveryId: null,
  forwards: null,
  async load(deliveryId) {
    set({ deliveryId, forwards: null });
    const view = await call('captured.get', { ref: `delivery:${deliveryId}` });
    if (get().deliveryId === deliveryId) set({ forwards: view.forwards });
  },
  onForward(deliveryId, forward) {
    const { deliveryId: open, forwards } = get();
    if (open !== deliveryId || forwards === null) return;
    const at = forwards.findIndex((f) => f.url === forward.url);
    set({ forwards: at === -1 ? [...forwards, forward] : forwards.map((f, i) => (i === at ? forward : f)) });
  },
}));
