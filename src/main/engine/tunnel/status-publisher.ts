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

  // The connection as it is now, taken before the settings are read: on a team server that read waits on
  // the database, and a state passed through meanwhile (reconnecting, then connected again) is still pushed.
  const snapshot = (): MaybePromise<TunnelStatus> => {
    const at = now();
    if (live.state === 'connected') live.readUntil = at;
    const seen = { ...live };
    return after(store.settings(), (setting) => ({ ...seen, ...tunnelConfigOf(setting), gaps: gapsOf(setting), source: 'live' as const, pid, updatedAt: at }));
  };

  function saveAndPush(status: TunnelStatus, save: 'always' | 'throttled'): MaybePromise<TunnelStatus> {
    const saving = save === 'always' || status.updatedAt - lastSaved >= SAVE_EVERY_MS;
    if (saving) lastSaved = status.updatedAt;
    return after(saving ? store.change(statusSetting(status)) : undefined, () => {
      publish({ type: 'tunnel', status });
      return status;
    });
  }

  /** Where the store answers later (PostgreSQL), statuses are saved and pushed in the order they were taken. */
  let previous: Promise<unknown> = Promise.resolve();
  function publishNow(save: 'always' | 'throttled'): MaybePromise<TunnelStatus> {
    const taken = snapshot();
    if (!(taken instanceof Promise)) return saveAndPush(taken, save);
    const done = Promise.all([taken, previous]).then(([status]) => saveAndPush(status, save));
    previous = done.catch(() => undefined);
    return done;
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
