/**
 * Making a channel this data dir's tunnel, and forgetting it. Each is one transaction on the
 * shared database, so a watching engine (a running serve) never sees half of it. The tunnel
 * only ever changes the receiver's public URL it set itself, never one the user configured.
 */
import type { Db } from '../db/open';
import { deleteSetting, getSetting, setSetting } from '../store/settings';
import { tunnelHookBase } from './channel';
import { PUBLIC_URL_KEY, readTunnelConfig, TUNNEL_KEYS } from './saved-status';

export function adoptChannel(db: Db, channelUrl: string, server: string): { hookUrlBase: string; hookUrlsViaTunnel: boolean; notes: string[] } {
  const previous = readTunnelConfig(db);
  const hookUrlBase = tunnelHookBase(channelUrl);
  const currentPublic = getSetting(db, PUBLIC_URL_KEY);
  const ownsPublic = currentPublic === undefined || currentPublic === getSetting(db, TUNNEL_KEYS.ownedPublicUrl);
  db.transaction(() => {
    setSetting(db, TUNNEL_KEYS.channelUrl, channelUrl);
    setSetting(db, TUNNEL_KEYS.server, server);
    setSetting(db, TUNNEL_KEYS.enabled, '1');
    if (ownsPublic) {
      setSetting(db, PUBLIC_URL_KEY, hookUrlBase);
      setSetting(db, TUNNEL_KEYS.ownedPublicUrl, hookUrlBase);
    }
  });
  const notes = [
    ownsPublic
      ? `Hook URLs now point at the tunnel: ${hookUrlBase}/hooks/<hook id>.`
      : `Hook URLs keep pointing at the configured public URL ${currentPublic}; the tunnel takes events sent to ${hookUrlBase}/hooks/<hook id>.`,
    ...(previous.channelUrl ? [`The previous channel ${previous.channelUrl} is no longer read.`] : []),
  ];
  return { hookUrlBase, hookUrlsViaTunnel: ownsPublic, notes };
}

/** Forgets the channel; hook URLs go back to the public URL the user set, or the receiver's own address. */
export function forgetChannel(db: Db): { channelUrl: string | null; notes: string[] } {
  const config = readTunnelConfig(db);
  const owned = getSetting(db, TUNNEL_KEYS.ownedPublicUrl);
  const publicUrl = getSetting(db, PUBLIC_URL_KEY);
  const ownsPublic = publicUrl !== undefined && publicUrl === owned;
  db.transaction(() => {
    for (const key of [TUNNEL_KEYS.channelUrl, TUNNEL_KEYS.server, TUNNEL_KEYS.enabled, TUNNEL_KEYS.ownedPublicUrl, TUNNEL_KEYS.status]) deleteSetting(db, key);
    if (ownsPublic) deleteSetting(db, PUBLIC_URL_KEY);
  });
  const notes = config.channelUrl
    ? [
        ownsPublic || publicUrl === undefined
          ? 'Hook URLs point at the receiver directly again.'
          : `Hook URLs were not using the tunnel and keep pointing at the configured public URL ${publicUrl}.`,
        `The channel ${config.channelUrl} is no longer read; anything still sent to it is lost.`,
      ]
    : ['There was no tunnel to remove.'];
  return { channelUrl: config.channelUrl, notes };
}
