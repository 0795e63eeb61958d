import { create } from 'zustand';
import type { Api, PushEvent } from '../../../shared/contract';
import type { ActivityEntry, DeliverySummary, PackageSummary, Release } from '../../../shared/types';

export type Page = 'packages' | 'deliveries' | 'activity';

interface AppState {
  api: Api | null;
  page: Page;
  error: string | null;
  packages: PackageSummary[];
  deliveries: DeliverySummary[];
  activity: ActivityEntry[];
  releases: Record<string, Release[]>;
  connect(api: Api): () => void;
  go(page: Page): void;
  fail(error: unknown): void;
  refresh(): Promise<void>;
  loadReleases(packageId: string): Promise<void>;
}

const LIST_LIMIT = 500;

function upsert<T extends { id: number }>(list: T[], item: T): T[] {
  const at = list.findIndex((x) => x.id === item.id);
  if (at === -1) return [item, ...list].slice(0, LIST_LIMIT);
  const next = list.slice();
  next[at] = item;
  return next;
}

export const useApp = create<AppState>((set, get) => ({
  api: null,
  page: 'packages',
  error: null,
  packages: [],
  deliveries: [],
  activity: [],
  releases: {},
  connect(api) {
    set({ api });
    void get().refresh();
    return api.subscribe((event: PushEvent) => {
      if (event.type === 'delivery') set((s) => ({ deliveries: upsert(s.deliveries, event.delivery) }));
      else if (event.type === 'activity') set((s) => ({ activity: upsert(s.activity, event.entry) }));
      else if (event.type === 'release') {
        const r = event.release;
        set((s) => ({ releases: { ...s.releases, [r.packageId]: upsert(s.releases[r.packageId] ?? [], r) } }));
        void api.call('packages.list', {}).then((packages) => set({ packages }));
      } else void api.call('packages.list', {}).then((packages) => set({ packages }));
    });
  },
  go: (page) => set({ page }),
  fail: (error) => set({ error: error instanceof Error ? error.message : String(error) }),
  async refresh() {
    const api = get().api;
    if (!api) return;
    try {
      const [packages, deliveries, activity] = await Promise.all([
        api.call('packages.list', {}),
        api.call('deliveries.list', { limit: LIST_LIMIT }),
        api.call('activity.list', { limit: LIST_LIMIT }),
      ]);
      set({ packages, deliveries, activity, error: null });
    } catch (error) {
      get().fail(error);
    }
  },
  async loadReleases(packageId) {
    const api = get().api;
    if (!api) return;
    try {
      const list = await api.call('releases.list', { packageId });
      set((s) => ({ releases: { ...s.releases, [packageId]: list } }));
    } catch (error) {
      get().fail(error);
    }
  },
}));
