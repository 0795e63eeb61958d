/**
 * The tunnel's status as this process sees it: pushed on the bus, and saved for `tunnel
 * status` in other processes (on every state change, and at most once a second otherwise).
 * While events stream in, one push per interval stands for all of them.
 */
import type { PushEvent } from '../../../shared/contract';
import type { TunnelStatus } from '../../../shared/types';
import type { MaybePromise } from '../maybe-promise';
import { gapsOf } from './gaps';
import { statusSetting, tunnelConfigOf, type TunnelLive } from './saved-status';
import { after, type TunnelStore } from './tunnel-store';

const SAVE_EVERY_MS = 1_000;
/** Status pushes while events stream in: at most this often. */
const PUBLISH_EVERY_MS = 250;

export interface StatusPublisherDeps {
  store: TunnelStore;
  live: TunnelLive;
  /** Which process reports: this one's pid. */
  pid: number;
  publish: (event: PushEvent) => void;
  now: () => number;
}

export function createStatusPublisher({ store, live, pid, publish, now }: StatusPublisherDeps) {
  let lastSaved = 0;
  let timer: NodeJS.Timeout | null = null;

  const snapshot = (): MaybePromise<TunnelStatus> =>
    after(store.settings(), (setting) => {
      const at = now();
      if (live.state === 'connected') live.readUntil = at;
      return { ...live, ...tunnelConfigOf(setting), gaps: gapsOf(setting), source: 'live' as const, pid, updatedAt: at };
    });

  function publishNow(save: 'always' | 'throttled'): MaybePromise<TunnelStatus> {
    return after(snapshot(), (status) => {
      const saving = save === 'always' || status.updatedAt - lastSaved >= SAVE_EVERY_MS;
      if (saving) lastSaved = status.updatedAt;
      return after(saving ? store.change(statusSetting(status)) : undefined, () => {
        publish({ type: 'tunnel', status });
        return status;
      });
    });
  }

  return {
    snapshot,
    /** Pushes the status now; saves it always, or when the last save is a second old. */
    publish: publishNow,
    /** Pushes the status within the interval (one push for every call until then). */
    soon(): void {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void Promise.resolve()
          .then(() => publishNow('throttled'))
          .catch(() => undefined);
      }, PUBLISH_EVERY_MS);
      timer.unref();
    },
    cancel(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
