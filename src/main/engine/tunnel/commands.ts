/**
 * What tunnel.create, connect, disconnect, remove and catchUp do to the stored tunnel, the
 * same on either store: the change is recorded in the database, then `reconcile` asks whoever
 * holds the tunnel to follow it (this process, or on a team server the instance holding the
 * 'tunnel' role, which also watches the settings).
 */
import { ApiError, type PushEvent } from '../../../shared/contract';
import type { ActivityKind, TunnelCatchUp, TunnelCreated, TunnelRemoved, TunnelStatus } from '../../../shared/types';
import { catchUpGaps, type CatchUpRunner } from './catch-up';
import { createChannel, DEFAULT_SMEE_SERVER, normalizeServer, type FetchLike } from './channel';
import { adoptChannel, forgetChannel } from './channel-settings';
import type { GapLog } from './gap-log';
import { TUNNEL_NOTES } from './limits';
import { TUNNEL_KEYS, tunnelConfigOf } from './saved-status';
import type { SettingsView, TunnelStore } from './tunnel-store';

export interface TunnelCommandDeps {
  store: TunnelStore;
  gapLog: GapLog;
  publish: (event: PushEvent) => void;
  /** Records a feed entry and publishes it. */
  activity: (kind: ActivityKind, message: string) => unknown;
  /** Brings the running tunnel in line with the settings just changed. */
  reconcile: () => Promise<void>;
  status: () => TunnelStatus | Promise<TunnelStatus>;
  /** Where hook URLs point without a tunnel, on the settings as they are. */
  receiverBase: (setting: SettingsView) => string;
  /** The channel was forgotten: what was live belonged to it. */
  forgotten?: () => void;
  now: () => number;
  fetch?: FetchLike | undefined;
}

export function tunnelCommands(deps: TunnelCommandDeps) {
  const { store } = deps;
  return {
    /** Creates a channel on the smee server and makes it the tunnel. */
    async create(input: { server?: string | undefined } = {}): Promise<TunnelCreated> {
      const saved = (await store.settings())(TUNNEL_KEYS.server);
      let server: string;
      try {
        server = normalizeServer(input.server ?? saved ?? DEFAULT_SMEE_SERVER);
      } catch (error) {
        throw new ApiError('invalid_params', (error as Error).message);
      }
      const channelUrl = await createChannel(server, deps.fetch);
      const adopted = await adoptChannel(store, channelUrl, server);
      const notes = [...adopted.notes, ...TUNNEL_NOTES];
      await deps.activity('tunnel_created', `Tunnel channel ${channelUrl} created on ${server}.`);
      deps.publish({ type: 'packages' });
      await deps.reconcile();
      return { channelUrl, server, hookUrlBase: adopted.hookUrlBase, hookUrlsViaTunnel: adopted.hookUrlsViaTunnel, notes, status: await deps.status(), hooks: [] };
    },
    /** Turns the tunnel on; the process holding it connects. */
    async connect(): Promise<TunnelStatus> {
      if (!tunnelConfigOf(await store.settings()).channelUrl) throw new ApiError('conflict', 'No tunnel channel yet: create one first (hookbench tunnel create).');
      await store.change({ [TUNNEL_KEYS.enabled]: '1' });
      await deps.reconcile();
      return deps.status();
    },
    /** Forgets the channel and disconnects; hook URLs go back to the direct address (the caller updates hooks upstream). */
    async remove(): Promise<TunnelRemoved> {
      const forgotten = await forgetChannel(store);
      await deps.reconcile();
      deps.forgotten?.();
      const base = deps.receiverBase(await store.settings());
      if (forgotten.channelUrl) await deps.activity('tunnel_removed', `Tunnel channel ${forgotten.channelUrl} removed; hook URLs point at ${base} again.`);
      deps.publish({ type: 'packages' });
      const after = await deps.status();
      deps.publish({ type: 'tunnel', status: after });
      return { channelUrl: forgotten.channelUrl, hookUrlBase: base, notes: forgotten.notes, status: after, hooks: [] };
    },
    /** Turns the tunnel off; hook URLs keep pointing at the channel. */
    async disconnect(): Promise<TunnelStatus> {
      await store.change({ [TUNNEL_KEYS.enabled]: '0' });
      await deps.reconcile();
      return deps.status();
    },
    /** Catch-up for the managed packages of gaps not yet caught up; the others are told how to redeliver. */
    catchUp: (run: CatchUpRunner): Promise<TunnelCatchUp> => catchUpGaps(deps.gapLog, run, deps.now, (message) => deps.activity('tunnel_gap', message)),
  };
}
