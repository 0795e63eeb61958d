import { create } from 'zustand';
import type { CatchUpResult, HookRotation, PingResult, ProviderDelivery, ProviderDeliveries } from '../../../shared/types';
import { describeError } from '../lib/errors';
import { call } from './connection-store';
import { usePackages } from './packages-store';
import { useReleases } from './releases-store';

export type PackageOp = 'ping' | 'rotate' | 'catchUp' | 'history';

export interface PackageOps {
  /** The operation under way, and since when. */
  busy: { op: PackageOp; since: number } | null;
  ping: PingResult | null;
  /** Holds a secret shown once: cleared when the person says they copied it. */
  rotation: HookRotation | null;
  catchUp: CatchUpResult | null;
  history: (Omit<ProviderDeliveries, 'deliveries'> & { deliveries: ProviderDelivery[] }) | null;
  error: { op: PackageOp; message: string } | null;
}

const EMPTY: PackageOps = { busy: null, ping: null, rotation: null, catchUp: null, history: null, error: null };

interface PackageOpsState {
  byPackage: Record<string, PackageOps>;
  ping(id: string): Promise<void>;
  /** With a connection: manage the hook through it from now on (what `package rotate --connection` does). */
  rotate(id: string, connectionId?: string): Promise<void>;
  catchUp(id: string): Promise<void>;
  /** The provider's own delivery log; with `more`, the next older page. */
  history(id: string, more?: boolean): Promise<void>;
  dismissRotation(id: string): void;
}

export const usePackageOps = create<PackageOpsState>((set, get) => {
  const patch = (id: string, p: Partial<PackageOps>) => set((s) => ({ byPackage: { ...s.byPackage, [id]: { ...(s.byPackage[id] ?? EMPTY), ...p } } }));
  const ops = (id: string) => get().byPackage[id] ?? EMPTY;

  /** One operation per package at a time; its result or its error replaces the last. */
  async function run<T>(id: string, op: PackageOp, work: () => Promise<T>, done: (result: T) => Partial<PackageOps>): Promise<void> {
    if (ops(id).busy) return;
    patch(id, { busy: { op, since: Date.now() }, error: null });
    try {
      const result = await work();
      patch(id, { ...done(result), busy: null });
    } catch (error) {
      patch(id, { busy: null, error: { op, message: describeError(error) } });
    }
  }

  return {
    byPackage: {},
    ping: (id) =>
      run(
        id,
        'ping',
        () => call('packages.ping', { id, waitMs: 10_000 }),
        (ping) => {
          // A ping that arrived verifies the hook: show its new status.
          void usePackages.getState().load();
          return { ping };
        },
      ),
    rotate: (id, connectionId) =>
      run(
        id,
        'rotate',
        () => call('packages.rotate', { id, ...(connectionId ? { connectionId } : {}) }),
        (rotation) => {
          void usePackages.getState().load();
          return { rotation };
        },
      ),
    catchUp: (id) =>
      run(
        id,
        'catchUp',
        () => call('packages.catchUp', { id, redeliver: true, reconcile: true }),
        (catchUp) => {
          if (useReleases.getState().key === id) void useReleases.getState().refresh();
          return { catchUp };
        },
      ),
    history: (id, more = false) => {
      const before = ops(id).history;
      const cursor = more ? before?.nextCursor : null;
      return run(
        id,
        'history',
        () => call('packages.providerDeliveries', { id, limit: 30, ...(cursor ? { cursor } : {}) }),
        (page) => ({ history: { ...page, deliveries: cursor && before ? [...before.deliveries, ...page.deliveries] : page.deliveries } }),
      );
    },
    dismissRotation: (id) => patch(id, { rotation: null }),
  };
});
