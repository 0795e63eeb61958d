import type { PushEvent } from '../../shared/contract';
import type { EndpointSummary, TunnelStatus } from '../../shared/types';
import { noticeFor, type Notice } from './notify-policy';
import { StatusTracker, type ShellStatus } from './tray-status';

/**
 * The engine's push events, turned into what the OS shell shows: the tray's status
 * and notifications. Reads the engine only through its validated invoker. No
 * electron here: the tray and the notifier are callbacks.
 */
export interface ShellFeedOptions {
  invoke: (method: string, params: unknown) => Promise<unknown>;
  subscribe: (listener: (event: PushEvent) => void) => () => void;
  onStatus: (status: ShellStatus) => void;
  onNotice: (notice: Notice) => void;
  /** Endpoint list re-reads after add/remove are coalesced over this long. */
  reloadDelayMs?: number;
}

export interface ShellFeed {
  /** Reads the starting state (endpoints, tunnel) and reports it once. */
  ready: Promise<void>;
  status(): ShellStatus;
  stop(): void;
}

export function createShellFeed(options: ShellFeedOptions): ShellFeed {
  const tracker = new StatusTracker();
  let stopped = false;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  const report = () => {
    if (!stopped) options.onStatus(tracker.status());
  };

  async function reloadEndpoints(): Promise<void> {
    try {
      const list = (await options.invoke('endpoints.list', {})) as EndpointSummary[];
      if (stopped) return;
      tracker.setEndpoints(list);
      report();
    } catch (error) {
      if (!stopped) console.error('hookbench: could not read endpoints for the tray:', (error as Error).message);
    }
  }

  const off = options.subscribe((event) => {
    if (stopped) return;
    const applied = tracker.apply(event);
    const notice = noticeFor(event, applied.previous, (id) => tracker.endpoint(id)?.name);
    if (notice) options.onNotice(notice);
    if (applied.changed) report();
    if (applied.reloadEndpoints && !reloadTimer) {
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        void reloadEndpoints();
      }, options.reloadDelayMs ?? 200);
      reloadTimer.unref?.();
    }
  });

  const ready = (async () => {
    const [endpoints, tunnel] = await Promise.allSettled([options.invoke('endpoints.list', {}), options.invoke('tunnel.status', {})]);
    if (stopped) return;
    if (endpoints.status === 'fulfilled') tracker.setEndpoints(endpoints.value as EndpointSummary[]);
    if (tunnel.status === 'fulfilled') tracker.setTunnel(tunnel.value as TunnelStatus);
    report();
  })();

  return {
    ready,
    status: () => tracker.status(),
    stop() {
      stopped = true;
      if (reloadTimer) clearTimeout(reloadTimer);
      off();
    },
  };
}
