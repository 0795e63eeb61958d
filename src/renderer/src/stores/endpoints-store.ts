import { create } from 'zustand';
import type { EndpointSecret, EndpointSummary } from '../../../shared/types';
import { call, reportError } from './connection-store';

export type EndpointsMode = { kind: 'view' } | { kind: 'create' } | { kind: 'edit' };

/** A secret the engine will never show again: kept only until the person dismisses it. */
export interface ShownSecret extends EndpointSecret {
  reason: 'created' | 'rotated';
}

interface EndpointsState {
  endpoints: EndpointSummary[];
  loaded: boolean;
  selectedId: string | null;
  mode: EndpointsMode;
  secret: ShownSecret | null;
  load(): Promise<void>;
  /** The list as the engine answered it (load, or the startup call). */
  received(endpoints: EndpointSummary[]): void;
  upsert(endpoint: EndpointSummary): void;
  refreshOne(id: string): Promise<void>;
  select(id: string | null): void;
  setMode(mode: EndpointsMode): void;
  showSecret(secret: ShownSecret | null): void;
}

export const useEndpoints = create<EndpointsState>((set, get) => ({
  endpoints: [],
  loaded: false,
  selectedId: null,
  mode: { kind: 'view' },
  secret: null,
  async load() {
    try {
      get().received(await call('endpoints.list', {}));
    } catch (error) {
      reportError(error);
    }
  },
  received(endpoints) {
    set((s) => ({
      endpoints,
      loaded: true,
      selectedId: s.selectedId && endpoints.some((e) => e.id === s.selectedId) ? s.selectedId : (endpoints[0]?.id ?? null),
    }));
  },
  upsert(endpoint) {
    set((s) => {
      const at = s.endpoints.findIndex((e) => e.id === endpoint.id);
      return { endpoints: at === -1 ? [...s.endpoints, endpoint] : s.endpoints.map((e) => (e.id === endpoint.id ? endpoint : e)) };
    });
  },
  async refreshOne(id) {
    try {
      get().upsert(await call('endpoints.get', { id }));
    } catch {
      // Removed meanwhile: the list reload that follows removal takes care of it.
    }
  },
  select: (id) => set({ selectedId: id, mode: { kind: 'view' } }),
  setMode: (mode) => set({ mode }),
  showSecret: (secret) => set({ secret }),
}));
