import { create } from 'zustand';
import type { DialectInfo } from '../../../shared/types';
import { call, reportError } from './connection-store';

interface DialectsState {
  dialects: DialectInfo[];
  load(): Promise<void>;
}

export const useDialects = create<DialectsState>((set) => ({
  dialects: [],
  async load() {
    try {
      set({ dialects: await call('dialects.list', {}) });
    } catch (error) {
      reportError(error);
    }
  },
}));

/** Event names a dialect can send, without the variants that share a name. */
export function dialectEventNames(dialect: DialectInfo | undefined): string[] {
  return [...new Set((dialect?.events ?? []).map((e) => e.name))];
}
