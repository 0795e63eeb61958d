import { create } from 'zustand';
import type { HookUrlChange, TunnelCatchUp, TunnelCreated, TunnelStatus } from '../../../shared/types';
import { describeError } from '../lib/errors';
import { call } from './connection-store';

type TunnelAction = 'create' | 'connect' | 'disconnect' | 'remove' | 'catch-up';

interface TunnelStore {
  status: TunnelStatus | null;
  loaded: boolean;
  busy: TunnelAction | null;
  /** The last channel created here, with what to know about it. */
  created: TunnelCreated | null;
  /** Hook URLs the last create or remove here moved, and what became of each upstream. */
  moved: { by: 'create' | 'remove'; hooks: HookUrlChange[] } | null;
  /** What removing the tunnel said. */
  removedNotes: string[] | null;
  error: string | null;
  /** What the last catch-up after gaps did. */
  caughtUp: TunnelCatchUp | null;
  load(): Promise<void>;
  onStatus(status: TunnelStatus): void;
  create(server: string): Promise<void>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  remove(): Promise<void>;
  catchUp(): Promise<void>;
}

export const useTunnel = create<TunnelStore>((set, get) => {
  async function act(action: TunnelAction, work: () => Promise<TunnelStatus>): Promise<void> {
    set({ busy: action, error: null });
    try {
      get().onStatus(await work());
    } catch (error) {
      set({ error: describeError(error) });
    } finally {
      set({ busy: null });
    }
  }
  return {
    status: null,
    loaded: false,
    busy: null,
    created: null,
    moved: null,
    removedNotes: null,
    error: null,
    caughtUp: null,
    async load() {
      try {
        set({ status: await call('tunnel.status', {}), loaded: true });
      } catch (error) {
        set({ error: describeError(error), loaded: true });
      }
    },
    onStatus(status) {
      // Pushed and answered statuses can cross: keep the newest.
      const now = get().status;
      if (now && now.updatedAt > status.updatedAt && now.source === status.source) return;
      set({ status, loaded: true });
    },
    create: (server) =>
      act('create', async () => {
        const created = await call('tunnel.create', server.trim() ? { server: server.trim() } : {});
        set({ created, moved: { by: 'create', hooks: created.hooks }, removedNotes: null });
        return created.status;
      }),
    connect: () => act('connect', () => call('tunnel.connect', {})),
    disconnect: () => act('disconnect', () => call('tunnel.disconnect', {})),
    remove: () =>
      act('remove', async () => {
        const removed = await call('tunnel.remove', {});
        set({ created: null, moved: { by: 'remove', hooks: removed.hooks }, removedNotes: removed.notes });
        return removed.status;
      }),
    catchUp: () =>
      act('catch-up', async () => {
        set({ caughtUp: await call('tunnel.catchUp', {}) });
        return call('tunnel.status', {});
      }),
  };
});
