/**
 * The tunnel's settings, and its status as last saved by the process holding the
 * connection: a CLI process (`tunnel status`) reads it from the shared database.
 */
import type { TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import type { MaybePromise } from '../maybe-promise';
import { DEFAULT_RECEIVER_URL, getSetting } from '../store/settings';
import { tunnelHookBase } from './channel';
import { gapsOf } from './gaps';
import { after, type SettingsView, type TunnelStore } from './tunnel-store';

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

export function tunnelConfigOf(setting: SettingsView): TunnelConfig {
  const channelUrl = setting(TUNNEL_KEYS.channelUrl) ?? null;
  const hookUrlBase = channelUrl ? tunnelHookBase(channelUrl) : null;
  return {
    channelUrl,
    server: setting(TUNNEL_KEYS.server) ?? null,
    enabled: setting(TUNNEL_KEYS.enabled) !== '0',
    hookUrlBase,
    hookUrlsViaTunnel: hookUrlBase !== null && setting(PUBLIC_URL_KEY) === hookUrlBase,
  };
}

/** receiverBaseUrl's decision on a settings view: a configured public URL wins over the address `serve` bound last. */
export const receiverBaseOf = (setting: SettingsView): string => setting(PUBLIC_URL_KEY) ?? setting('receiver.url') ?? DEFAULT_RECEIVER_URL;

export const readTunnelConfig = (db: Db): TunnelConfig => tunnelConfigOf((key) => getSetting(db, key));

/** What saving a status changes. */
export const statusSetting = (status: TunnelStatus) => ({ [TUNNEL_KEYS.status]: JSON.stringify(status) });

/** What the connection itself knows, as opposed to the settings. */
export type TunnelLive = Pick<
  TunnelStatus,
  | 'state'
  | 'connectedAt'
  | 'lastConnectedAt'
  | 'disconnectedAt'
  | 'lastEventAt'
  | 'lastPingAt'
  | 'lastRelayedAt'
  | 'readUntil'
  | 'lastError'
  | 'lastErrorAt'
  | 'reconnects'
  | 'nextRetryAt'
  | 'events'
  | 'dropped'
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

const idle = (setting: SettingsView, config: TunnelConfig, now: number): TunnelStatus => ({
  ...idleLive(),
  ...config,
  gaps: gapsOf(setting),
  source: 'saved',
  pid: null,
  updatedAt: now,
});

/** The status as saved, checked against the settings now; null when it says nothing about the channel configured now. */
function savedOf(setting: SettingsView, config: TunnelConfig): TunnelStatus | null {
  const raw = setting(TUNNEL_KEYS.status);
  let saved: TunnelStatus | null = null;
  try {
    saved = raw ? (JSON.parse(raw) as TunnelStatus) : null;
  } catch {
    saved = null;
  }
  // Saved for another channel (one created since) says nothing about this one.
  if (!saved || saved.channelUrl !== config.channelUrl) return null;
  // Saved by an older build: no record of the last connection beyond the current one.
  return {
    ...saved,
    lastConnectedAt: saved.lastConnectedAt ?? saved.connectedAt,
    disconnectedAt: saved.disconnectedAt ?? null,
    ...config,
    gaps: gapsOf(setting),
    source: 'saved',
  };
}

/** A saved status whose holder is gone (`gone` says why) reads as disconnected since it last saved. */
function withoutHolder(status: TunnelStatus, gone: string): TunnelStatus {
  return {
    ...status,
    state: 'disconnected',
    connectedAt: null,
    disconnectedAt: status.updatedAt,
    nextRetryAt: null,
    lastError: gone,
    lastErrorAt: status.updatedAt,
  };
}

/** What the holder of the tunnel reported, checked against the settings now and whether it still holds it. */
export function readSavedStatus(store: TunnelStore, now: number): MaybePromise<TunnelStatus> {
  return after(store.settings(), (setting) => {
    const config = tunnelConfigOf(setting);
    const status = savedOf(setting, config);
    if (!status) return idle(setting, config, now);
    if (status.state === 'disconnected') return status;
    return after(store.holderGone(status), (gone) => (gone === null ? status : withoutHolder(status, gone)));
  });
}
