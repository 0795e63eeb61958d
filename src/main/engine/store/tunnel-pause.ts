import type { Db } from '../db/open';
import { TUNNEL_KEYS } from '../tunnel/saved-status';
import { getSetting } from './settings';

/**
 * While the tunnel is turned off, a hook whose URL goes through it delivers to a channel
 * nobody reads: its package must not look healthy. null when hook URLs do not use a paused tunnel.
 */
export function pausedTunnelReason(db: Db, hookUrlBase: string): string | null {
  return pausedTunnelReasonOf(getSetting(db, TUNNEL_KEYS.channelUrl), getSetting(db, TUNNEL_KEYS.enabled), hookUrlBase);
}

/** The same, from the tunnel's two settings as any store reads them. */
export function pausedTunnelReasonOf(channel: string | undefined, enabled: string | undefined, hookUrlBase: string): string | null {
  if (!channel || enabled !== '0' || !hookUrlBase.startsWith(`${channel}?`)) return null;
  return (
    `The tunnel is turned off and this hook's URL goes through it (${channel}): what the provider sends is lost until it is connected again ` +
    '("hookbench tunnel connect"), or remove the tunnel ("hookbench tunnel remove") to go back to direct hook URLs.'
  );
}
