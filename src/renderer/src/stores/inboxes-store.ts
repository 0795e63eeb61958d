import { create } from 'zustand';
import type { DeliverySummary, InboxCreated, InboxSummary } from '../../../shared/types';
import { coalesce } from '../lib/coalesce';
import { call, reportError } from './connection-store';

/** A secret the engine hands out once (an inbox made or rotated): kept until dismissed. */
export interface ShownInboxSecret extends InboxCreated {
  reason: 'created' | 'rotated';
  previousValidUntil?: number | null;
}

interface InboxesState {
  inboxes: InboxSummary[];
  loaded: boolean;
  selectedId: string | null;
  adding: boolean;
  secret: ShownInboxSecret | null;
  load(): Promise<void>;
  upsert(inbox: InboxSummary): void;
  select(id: string | null): void;
  setAdding(adding: boolean): void;
  showSecret(secret: ShownInboxSecret | null): void;
  remove(id: string): Promise<void>;
  onCapture(delivery: DeliverySummary): void;
}

const RELOAD_MS = 500;
let reloadTimer: ReturnType<typeof setTimeout> | null = null;

export const useInboxes = create<InboxesState>((set, get) => ({
  inboxes: [],
  loaded: false,
  selectedId: null,
  adding: false,
  secret: null,
  load: coalesce(async () => {
    try {
      set({ inboxes: await call('inboxes.list', {}), loaded: true });
    } catch (error) {
      reportError(error);
    }
  }),
  upsert(inbox) {
    set((s) => {
      const at = s.inboxes.findIndex((i) => i.id === inbox.id);
      return { inboxes: at === -1 ? [...s.inboxes, inbox] : s.inboxes.map((i) => (i.id === inbox.id ? inbox : i)) };
    });
  },
  select: (id) => set({ selectedId: id, adding: false }),
  setAdding: (adding) => set({ adding }),
  showSecret: (secret) => set({ secret }),
  async remove(id) {
    try {
      await call('inboxes.remove', { id });
      set((s) => ({ inboxes: s.inboxes.filter((i) => i.id !== id), selectedId: s.selectedId === id ? null : s.selectedId }));
    } catch (error) {
      reportError(error);
    }
  },
  /** Counts and last-capture times come from the engine: a burst of captures is one reload. */
  onCapture(delivery) {
    if (!delivery.hookId || !get().inboxes.some((i) => i.id === delivery.hookId) || reloadTimer) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void get().load();
    }, RELOAD_MS);
  },
}));

/** An inbox's name by its id (a capture's hookId), or '' for anything else. */
export function inboxName(inboxes: InboxSummary[], hookId: string | null | undefined): string {
  return hookId ? (inboxes.find((i) => i.id === hookId)?.name ?? '') : '';
}
