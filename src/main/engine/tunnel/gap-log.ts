/**
 * The tunnel's record of its gaps: each one is saved (for `tunnel status` anywhere),
 * written to the feed with what to do, and announced on the bus, where the desktop shell
 * decides whether it is worth a notification.
 */
import type { TunnelGap } from '../../../shared/types';
import type { Db } from '../db/open';
import { getSetting } from '../store/settings';
import { TUNNEL_KEYS } from './saved-status';
import { lastTunnelDeliveryAt } from './statements';
import { describeGap, gapStart, hooksAtRisk, readGaps, saveGaps } from './gaps';

export interface GapLogDeps {
  db: Db;
  /** Whether every hook URL points at the tunnel now. */
  allHooksViaTunnel: () => boolean;
  record: (message: string) => void;
  announce: (gap: TunnelGap) => void;
}

export function createGapLog({ db, allHooksViaTunnel, record, announce }: GapLogDeps) {
  let gaps = readGaps(db);
  return {
    /** Read afresh: another process (the CLI's catch-up) may have changed them. */
    list: (): TunnelGap[] => (gaps = readGaps(db)),
    add(from: number, to: number, cause: TunnelGap['cause']): TunnelGap {
      const gap: TunnelGap = { from, to: Math.max(from, to), cause, hooks: hooksAtRisk(db, allHooksViaTunnel(), from, to), caughtUpAt: null };
      gaps = [gap, ...readGaps(db)];
      saveGaps(db, gaps);
      gaps = readGaps(db);
      record(describeGap(gap));
      announce(gap);
      return gap;
    },
    /** The managed packages of gaps not yet caught up. */
    toCatchUp(): string[] {
      gaps = readGaps(db);
      return [...new Set(gaps.filter((g) => g.caughtUpAt === null).flatMap((g) => g.hooks.filter((h) => h.managed).map((h) => h.packageId)))];
    },
    caughtUp(at: number): void {
      gaps = readGaps(db).map((g) => (g.caughtUpAt === null && g.hooks.some((h) => h.managed) ? { ...g, caughtUpAt: at } : g));
      saveGaps(db, gaps);
    },
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
 * holder saved, or the last tunnel delivery stored, whichever is later. null when it was
 * never read (nothing to call a gap).
 */
export function lastReadBefore(db: Db, channelUrl: string): number | null {
  let saved: SavedRead = {};
  try {
    saved = JSON.parse(getSetting(db, TUNNEL_KEYS.status) ?? '{}') as SavedRead;
  } catch {
    saved = {};
  }
  const stored = lastTunnelDeliveryAt(db);
  if (saved.channelUrl !== channelUrl) return null;
  const times = [saved.readUntil, saved.lastEventAt, saved.lastPingAt, stored].filter((t): t is number => typeof t === 'number');
  if (times.length === 0) return null;
  const taken = [saved.lastEventAt, stored].filter((t): t is number => typeof t === 'number');
  return gapStart(Math.max(...times), taken.length ? Math.max(...taken) : null, saved.lastRelayedAt ?? null);
}
