/**
 * The tunnel's record of its gaps: each one is saved (for `tunnel status` anywhere),
 * written to the feed with what to do, and announced on the bus, where the desktop shell
 * decides whether it is worth a notification.
 */
import type { TunnelGap } from '../../../shared/types';
import type { MaybePromise } from '../maybe-promise';
import { TUNNEL_KEYS, tunnelConfigOf } from './saved-status';
import { describeGap, gapStart, gapsOf, gapsSetting, hooksAtRisk } from './gaps';
import { after, type SettingsView, type TunnelStore } from './tunnel-store';

export interface GapLogDeps {
  store: TunnelStore;
  record: (message: string) => void;
  announce: (gap: TunnelGap) => void;
}

export function createGapLog({ store, record, announce }: GapLogDeps) {
  /** Read afresh each time: another process (the CLI's catch-up, another instance) may have changed them. */
  const list = (): MaybePromise<TunnelGap[]> => after(store.settings(), gapsOf);
  return {
    list,
    add(from: number, to: number, cause: TunnelGap['cause']): MaybePromise<TunnelGap> {
      // Every hook is at risk when every hook URL points at the tunnel now.
      const allHooks = after(store.settings(), (setting) => tunnelConfigOf(setting).hookUrlsViaTunnel);
      const rows = after(allHooks, (all) => store.hooksOfPackages(all));
      return after(rows, (hooks) => {
        const gap: TunnelGap = { from, to: Math.max(from, to), cause, hooks: hooksAtRisk(hooks, from, to), caughtUpAt: null };
        return after(list(), (gaps) =>
          after(store.change(gapsSetting([gap, ...gaps])), () => {
            record(describeGap(gap));
            announce(gap);
            return gap;
          }),
        );
      });
    },
    /** The managed packages of gaps not yet caught up. */
    toCatchUp: (): MaybePromise<string[]> => after(list(), (gaps) => [...new Set(gaps.filter((g) => g.caughtUpAt === null).flatMap((g) => g.hooks.filter((h) => h.managed).map((h) => h.packageId)))]),
    caughtUp: (at: number): MaybePromise<void> =>
      after(list(), (gaps) => store.change(gapsSetting(gaps.map((g) => (g.caughtUpAt === null && g.hooks.some((h) => h.managed) ? { ...g, caughtUpAt: at } : g))))),
  };
}

export type GapLog = ReturnType<typeof createGapLog>;

interface SavedRead {
  channelUrl?: string | null;
  state?: string;
  updatedAt?: number;
  readUntil?: number | null;
  lastEventAt?: number | null;
  lastPingAt?: number | null;
  lastRelayedAt?: number | null;
}

/**
 * When a channel was last read before this process took it over: what the previous
 * holder saved (its relay mark among it), or the last tunnel delivery stored, whichever is
 * later. null when it was never read (nothing to call a gap).
 */
export function lastReadBeforeOf(setting: SettingsView, stored: number | null, channelUrl: string): number | null {
  let saved: SavedRead = {};
  try {
    saved = JSON.parse(setting(TUNNEL_KEYS.status) ?? '{}') as SavedRead;
  } catch {
    saved = {};
  }
  if (saved.channelUrl !== channelUrl) return null;
  const times = [saved.readUntil, saved.lastEventAt, saved.lastPingAt, stored].filter((t): t is number => typeof t === 'number');
  if (times.length === 0) return null;
  const taken = [saved.lastEventAt, stored].filter((t): t is number => typeof t === 'number');
  return gapStart(Math.max(...times), taken.length ? Math.max(...taken) : null, saved.lastRelayedAt ?? null);
}

export function lastReadBefore(store: TunnelStore, channelUrl: string): MaybePromise<number | null> {
  return after(store.settings(), (setting) => after(store.lastTunnelDeliveryAt(), (stored) => lastReadBeforeOf(setting, stored, channelUrl)));
}
