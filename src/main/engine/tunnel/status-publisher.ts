/**
 * The tunnel's status as this process sees it: pushed on the bus, and saved for `tunnel
 * status` in other processes (on every state change, and at most once a second otherwise).
 * While events stream in, one push per interval stands for all of them.
 */
import type { PushEvent } from '../../../shared/contract';
import type { TunnelGap, TunnelStatus } from '../../../shared/types';
import type { Db } from '../db/open';
import { readTunnelConfig, saveStatus, type TunnelLive } from './saved-status';

const SAVE_EVERY_MS = 1_000;
/** Status pushes while events stream in: at most this often. */
const PUBLISH_EVERY_MS = 250;

export interface StatusPublisherDeps {
  db: Db;
  live: TunnelLive;
  gaps: () => TunnelGap[];
  publish: (event: PushEvent) => void;
  now: () => number;
}

export function createStatusPublisher({ db, live, gaps, publish, now }: StatusPublisherDeps) {
  let lastSaved = 0;
  let timer: NodeJS.Timeout | null = null;

  const snapshot = (): TunnelStatus => {
    const at = now();
    if (live.state === 'connected') live.readUntil = at;
    return { ...live, ...readTunnelConfig(db), gaps: gaps(), source: 'live', pid: process.pid, updatedAt: at };
  };

  function publishNow(save: 'always' | 'throttled'): TunnelStatus {
    const status = snapshot();
    if (save === 'always' || status.updatedAt - lastSaved >= SAVE_EVERY_MS) {
      saveStatus(db, status);
      lastSaved = status.updatedAt;
    }
    publish({ type: 'tunnel', status });
    return status;
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
        publishNow('throttled');
      }, PUBLISH_EVERY_MS);
      timer.unref();
    },
    cancel(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
