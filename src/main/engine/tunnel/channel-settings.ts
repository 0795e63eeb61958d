/**
 * Making a channel the tunnel, and forgetting it. Each is one transaction on the shared
 * database, so a watching engine (a running serve, the instance holding the tunnel) never sees
 * half of it. The tunnel only ever changes the receiver's public URL it set itself, never one
 * the user configured.
 */
import type { MaybePromise } from '../maybe-promise';
import { tunnelHookBase } from './channel';
import { PUBLIC_URL_KEY, tunnelConfigOf, TUNNEL_KEYS } from './saved-status';
import { after, type SettingsView, type TunnelStore } from './tunnel-store';

interface Adopted {
  hookUrlBase: string;
  hookUrlsViaTunnel: boolean;
  notes: string[];
}

/** What adopting a channel changes, decided on the settings as they are. */
export function adoption(setting: SettingsView, channelUrl: string, server: string): Adopted & { changes: Record<string, string> } {
  const previous = tunnelConfigOf(setting);
  const hookUrlBase = tunnelHookBase(channelUrl);
  const currentPublic = setting(PUBLIC_URL_KEY);
  const ownsPublic = currentPublic === undefined || currentPublic === setting(TUNNEL_KEYS.ownedPublicUrl);
  const changes: Record<string, string> = {
    [TUNNEL_KEYS.channelUrl]: channelUrl,
    [TUNNEL_KEYS.server]: server,
    [TUNNEL_KEYS.enabled]: '1',
    ...(ownsPublic ? { [PUBLIC_URL_KEY]: hookUrlBase, [TUNNEL_KEYS.ownedPublicUrl]: hookUrlBase } : {}),
  };
  const notes = [
    ownsPublic
      ? `Hook URLs now point at the tunnel: ${hookUrlBase}/hooks/<hook id>.`
      : `Hook URLs keep pointing at the configured public URL ${currentPublic}; the tunnel takes events sent to ${hookUrlBase}/hooks/<hook id>.`,
    ...(previous.channelUrl ? [`The previous channel ${previous.channelUrl} is no longer read.`] : []),
  ];
  return { changes, hookUrlBase, hookUrlsViaTunnel: ownsPublic, notes };
}

/** What forgetting the channel changes: hook URLs go back to the public URL the user set, or the receiver's own address. */
export function forgetting(setting: SettingsView): { changes: Record<string, null>; channelUrl: string | null; notes: string[] } {
  const config = tunnelConfigOf(setting);
  const owned = setting(TUNNEL_KEYS.ownedPublicUrl);
  const publicUrl = setting(PUBLIC_URL_KEY);
  const ownsPublic = publicUrl !== undefined && publicUrl === owned;
  const changes: Record<string, null> = {};
  for (const key of [TUNNEL_KEYS.channelUrl, TUNNEL_KEYS.server, TUNNEL_KEYS.enabled, TUNNEL_KEYS.ownedPublicUrl, TUNNEL_KEYS.status]) changes[key] = null;
  if (ownsPublic) changes[PUBLIC_URL_KEY] = null;
  const notes = config.channelUrl
    ? [
        ownsPublic || publicUrl === undefined ? 'Hook URLs point at the receiver directly again.' : `Hook URLs were not using the tunnel and keep pointing at the configured public URL ${publicUrl}.`,
        `The channel ${config.channelUrl} is no longer read; anything still sent to it is lost.`,
      ]
    : ['There was no tunnel to remove.'];
  return { changes, channelUrl: config.channelUrl, notes };
}

export function adoptChannel(store: TunnelStore, channelUrl: string, server: string): MaybePromise<Adopted> {
  return after(store.settings(), (setting) => {
    const { changes, ...adopted } = adoption(setting, channelUrl, server);
    return after(store.change(changes), () => adopted);
  });
}

export function forgetChannel(store: TunnelStore): MaybePromise<{ channelUrl: string | null; notes: string[] }> {
  return after(store.settings(), (setting) => {
    const { changes, ...forgotten } = forgetting(setting);
    return after(store.change(changes), () => forgotten);
  });
}
