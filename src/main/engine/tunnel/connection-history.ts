import type { TunnelStatus } from '../../../shared/types';
import type { TunnelLive } from './saved-status';

/**
 * When the channel was last up and when it went down, kept across drops and restarts so the
 * page never reads "connected: never" after a disconnect; another channel's say nothing.
 */
export function createConnectionHistory(live: TunnelLive, now: () => number) {
  /** The channel live.lastConnectedAt and live.disconnectedAt are about. */
  let historyOf: string | null = null;
  return {
    /** A restart takes over what the previous run saved. */
    restore(saved: Pick<TunnelStatus, 'channelUrl' | 'lastConnectedAt' | 'disconnectedAt'>): void {
      if (!saved.channelUrl) return;
      historyOf = saved.channelUrl;
      live.lastConnectedAt = saved.lastConnectedAt;
      live.disconnectedAt = saved.disconnectedAt;
    },
    /** A connection to this channel begins. */
    begin(channelUrl: string): void {
      if (historyOf === channelUrl) return;
      live.lastConnectedAt = null;
      live.disconnectedAt = null;
      historyOf = channelUrl;
    },
    up(at: number): void {
      live.connectedAt = at;
      live.lastConnectedAt = at;
    },
    /** The connection is no longer up: when it was last up is kept, with when it went down. */
    down(): void {
      if (live.connectedAt !== null) live.disconnectedAt = now();
      live.connectedAt = null;
    },
    forget(): void {
      historyOf = null;
    },
  };
}
