import { create } from 'zustand';
import type { BackupResult, StorageStatus } from '../../../shared/types';
import { describeError } from '../lib/errors';
import { call } from './connection-store';

interface StorageStore {
  status: StorageStatus | null;
  loading: boolean;
  backingUp: boolean;
  lastResult: BackupResult | null;
  error: string | null;
  load(): Promise<void>;
  backup(out: string): Promise<void>;
}

export const useStorage = create<StorageStore>((set, get) => ({
  status: null,
  loading: false,
  backingUp: false,
  lastResult: null,
  error: null,
  async load() {
    set({ loading: true });
    try {
      set({ status: await call('storage.status', {}), error: null });
    } catch (error) {
      set({ error: describeError(error) });
    } finally {
      set({ loading: false });
    }
  },
  async backup(out) {
    set({ backingUp: true, error: null, lastResult: null });
    try {
      set({ lastResult: await call('storage.backup', { out }) });
      await get().load();
    } catch (error) {
      set({ error: describeError(error) });
    } finally {
      set({ backingUp: false });
    }
  },
}));
