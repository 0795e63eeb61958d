import { create } from 'zustand';
import type { ParamsOf } from '../../../shared/contract';
import type { ConnectionAdded, ConnectionSummary } from '../../../shared/types';
import { coalesce } from '../lib/coalesce';
import { describeError } from '../lib/errors';
import { call } from './connection-store';
import { usePackages } from './packages-store';

interface ConnectionsState {
  connections: ConnectionSummary[];
  loaded: boolean;
  adding: boolean;
  /** The connection just added, with what its token may not be able to do. */
  added: ConnectionAdded | null;
  error: string | null;
  /** Packages left without a connection by the last removal. */
  detached: string[];
  load(): Promise<void>;
  add(params: ParamsOf<'connections.add'>): Promise<boolean>;
  remove(id: string): Promise<void>;
  dismiss(): void;
}

export const useConnections = create<ConnectionsState>((set, get) => ({
  connections: [],
  loaded: false,
  adding: false,
  added: null,
  error: null,
  detached: [],
  load: coalesce(async () => {
    try {
      set({ connections: await call('connections.list', {}), loaded: true });
    } catch (error) {
      set({ error: describeError(error), loaded: true });
    }
  }),
  async add(params) {
    set({ adding: true, error: null, added: null, detached: [] });
    try {
      const added = await call('connections.add', params);
      set({ added, adding: false });
      await get().load();
      return true;
    } catch (error) {
      set({ error: describeError(error), adding: false });
      return false;
    }
  },
  async remove(id) {
    set({ error: null, added: null });
    try {
      const { detachedPackages } = await call('connections.remove', { id });
      set({ detached: detachedPackages });
      await get().load();
      void usePackages.getState().load();
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  dismiss: () => set({ added: null, detached: [] }),
}));

/** "octocat on github.com", or the id while the list is not loaded. */
export function connectionName(connections: ConnectionSummary[], id: string): string {
  const c = connections.find((x) => x.id === id);
  if (!c) return `connection ${id}`;
  let host = c.baseUrl;
  try {
    host = new URL(c.baseUrl).host;
  } catch {
    // Shown as stored.
  }
  return `${c.login} on ${host}`;
}
