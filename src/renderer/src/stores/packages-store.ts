import { create } from 'zustand';
import type { ActivityEntry, PackageSummary, Release } from '../../../shared/types';
import { coalesce } from '../lib/coalesce';
import { call, reportError } from './connection-store';

interface PackagesState {
  packages: PackageSummary[];
  loaded: boolean;
  releases: Record<string, Release[]>;
  selectedId: string | null;
  /** What the last removal did, upstream included; shown until the next one. */
  removal: string | null;
  load(): Promise<void>;
  remove(id: string): Promise<void>;
  loadReleases(packageId: string): Promise<void>;
  onRelease(release: Release): void;
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
  releases: {},
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
  async loadReleases(packageId) {
    try {
      const list = await call('releases.list', { packageId });
      set((s) => ({ releases: { ...s.releases, [packageId]: list } }));
    } catch (error) {
      reportError(error);
    }
  },
  onRelease(release) {
    set((s) => {
      const list = s.releases[release.packageId] ?? [];
      const at = list.findIndex((r) => r.id === release.id);
      const next = at === -1 ? [release, ...list] : list.map((r) => (r.id === release.id ? release : r));
      return { releases: { ...s.releases, [release.packageId]: next } };
    });
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
