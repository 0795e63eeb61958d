import { create } from 'zustand';
import type { ActivityEntry, PackageSummary } from '../../../shared/types';
import { coalesce } from '../lib/coalesce';
import { call, reportError } from './connection-store';

interface PackagesState {
  packages: PackageSummary[];
  loaded: boolean;
  selectedId: string | null;
  /** What the last removal did, upstream included; shown until the next one. */
  removal: string | null;
  load(): Promise<void>;
  remove(id: string): Promise<void>;
  select(id: string | null): void;
}

export const usePackages = create<PackagesState>((set) => ({
  load: coalesce(async () => {
    try {
      set({ packages: await call('packages.list', {}), loaded: true });
    } catch (error) {
      reportError(error);
    }
  }),
  packages: [],
  loaded: false,
  selectedId: null,
  removal: null,
  async remove(id) {
    try {
      const { message } = await call('packages.remove', { id });
      set((s) => ({ removal: message, selectedId: s.selectedId === id ? null : s.selectedId, packages: s.packages.filter((p) => p.id !== id) }));
    } catch (error) {
      reportError(error);
    }
  },
  select: (id) => set({ selectedId: id }),
}));

export const packageName = (packages: PackageSummary[], id: string | null) => (id ? (packages.find((p) => p.id === id)?.name ?? id) : '');

/** The package an activity entry is about, by name; a removed one by the name it had, marked removed. */
export function feedPackage(packages: PackageSummary[], entry: Pick<ActivityEntry, 'packageId' | 'packageName'>): { name: string; removed: boolean } {
  if (!entry.packageId) return { name: '', removed: false };
  const live = packages.find((p) => p.id === entry.packageId);
  return live ? { name: live.name, removed: false } : { name: entry.packageName ?? entry.packageId, removed: true };
}
