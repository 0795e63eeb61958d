/**
 * The tunnel's settings, and its status as last saved by the process holding the
 * connection: a CLI process (`tunnel status`) reads it from the shared database.
 */
import type { TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import { getSetting, setSetting } from '../store/settings';
import { tunnelHookBase } from './channel';
import { readGaps } from './gaps';

export const TUNNEL_KEYS = {
  channelUrl: 'tunnel.channelUrl',
  server: 'tunnel.server',
  /** "0" when turned off with tunnel.disconnect. */
  enabled: 'tunnel.enabled',
  /** The receiver.publicUrl value the tunnel set, so it never overwrites one the user set. */
  ownedPublicUrl: 'tunnel.publicUrl',
  status: 'tunnel.status',
} as const;

export const PUBLIC_URL_KEY = 'receiver.publicUrl';

export interface TunnelConfig {
  channelUrl: string | null;
  server: string | null;
  enabled: boolean;
  hookUrlBase: string | null;
  hookUrlsViaTunnel: boolean;
}

export function readTunnelConfig(db: Db): TunnelConfig {
  const channelUrl = getSetting(db, TUNNEL_KEYS.channelUrl) ?? null;
  const hookUrlBase = channelUrl ? tunnelHookBase(channelUrl) : null;
  return {
    channelUrl,
    server: getSetting(db, TUNNEL_KEYS.server) ?? null,
    enabled: getSetting(db, TUNNEL_KEYS.enabled) !== '0',
    hookUrlBase,
    hookUrlsViaTunnel: hookUrlBase !== null && getSetting(db, PUBLIC_URL_KEY) === hookUrlBase,
  };
}

export function saveStatus(db: Db, status: TunnelStatus): void {
  setSetting(db, TUNNEL_KEYS.status, JSON.stringify(status));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the connection itself knows, as opposed to the settings. */
export type TunnelLive = Pick<
  TunnelStatus,
  'state' | 'connectedAt' | 'lastConnectedAt' | 'disconnectedAt' | 'lastEventAt' | 'lastPingAt' | 'lastRelayedAt' | 'readUntil' | 'lastError' | 'lastErrorAt' | 'reconnects' | 'nextRetryAt' | 'events' | 'dropped'
>;

export const idleLive = (): TunnelLive => ({
  state: 'disconnected',
  connectedAt: null,
  lastConnectedAt: null,
  disconnectedAt: null,
  lastEventAt: null,
  lastPingAt: null,
  lastRelayedAt: null,
  readUntil: null,
  lastError: null,
  lastErrorAt: null,
  reconnects: 0,
  nextRetryAt: null,
  events: 0,
  dropped: 0,
});

const idle = (db: Db, config: TunnelConfig, now: number): TunnelStatus => ({
  ...idleLive(),
  ...config,
  gaps: readGaps(db),
  source: 'saved',
  pid: null,
  updatedAt: now,
});

/** What another process reported, checked against the settings now and whether it still runs. */
export function readSavedStatus(db: Db, now: number): TunnelStatus {
  const config = readTunnelConfig(db);
  const raw = getSetting(db, TUNNEL_KEYS.status);
  let saved: TunnelStatus | null = null;
  try {
    saved = raw ? (JSON.parse(raw) as TunnelStatus) : null;
  } catch {
    saved = null;
  }
  // Saved for another channel (one created since) says nothing about this one.
  if (!saved || saved.channelUrl !== config.channelUrl) return idle(db, config, now);
  // Saved by an older build: no record of the last connection beyond the current one.
  const status: TunnelStatus = {
    ...saved,
    lastConnectedAt: saved.lastConnectedAt ?? saved.connectedAt,
    disconnectedAt: saved.disconnectedAt ?? null,
    ...config,
    gaps: readGaps(db),
    source: 'saved',
  };
  if (status.state !== 'disconnected' && (status.pid === null || !processAlive(status.pid))) {
    return {
      ...status,
      state: 'disconnected',
      connectedAt: null,
      disconnectedAt: status.updatedAt,
      nextRetryAt: null,
      lastError: `The Hookbench process that held the tunnel (pid ${status.pid ?? '?'}) is no longer running; start "hookbench serve" to connect.`,
      lastErrorAt: status.updatedAt,
    };
  }
  return status;
}
