import { create } from 'zustand';
import type { ActivityEntry } from '../../../shared/types';
import { call, reportError } from './connection-store';

const LIMIT = 500;

interface ActivityState {
  entries: ActivityEntry[];
  loaded: boolean;
  load(): Promise<void>;
  onEntry(entry: ActivityEntry): void;
}

export const useActivity = create<ActivityState>((set) => ({
  entries: [],
  loaded: false,
  async load() {
    try {
      set({ entries: await call('activity.list', { limit: LIMIT }), loaded: true });
    } catch (error) {
      reportError(error);
    }
  },
  onEntry(entry) {
    set((s) => (s.entries.some((e) => e.id === entry.id) ? s : { entries: [entry, ...s.entries].slice(0, LIMIT) }));
  },
}));
