import type { Api, PushEvent } from '../../../shared/contract';
import type { WindowStart } from '../../../shared/first-screen';
import { applyStart, loadStart } from './first-screen';
import { onLiveState } from '../api/transport';
import { useActivity, usePackageActivity } from './activity-store';
import { useConnection } from './connection-store';
import { useConnections } from './connections-store';
import { useDeliveries } from './deliveries-store';
import { useDialects } from './dialects-store';
import { useEndpointActivity } from './endpoint-activity-store';
import { useEndpoints } from './endpoints-store';
import { useFixtures } from './fixtures-store';
import { useForwards } from './forwards-store';
import { useInboxes } from './inboxes-store';
import { usePackages } from './packages-store';
import { useReleases } from './releases-store';
import { useProgress } from './progress-store';
import { useTunnel } from './tunnel-store';

/** Stats change with every attempt; the engine pushes attempts, so refetch an endpoint's summary now and then. */
const statTimers = new Map<string, ReturnType<typeof setTimeout>>();
function refreshStatsSoon(endpointId: string): void {
  if (statTimers.has(endpointId)) return;
  statTimers.set(
    endpointId,
    setTimeout(() => {
      statTimers.delete(endpointId);
      void useEndpoints.getState().refreshOne(endpointId);
    }, 400),
  );
}

function route(event: PushEvent): void {
  switch (event.type) {
    case 'delivery':
      useInboxes.getState().onCapture(event.delivery);
      return useDeliveries.getState().onDelivery(event.delivery);
    case 'activity':
      usePackageActivity.getState().upsert(event.entry);
      return useActivity.getState().upsert(event.entry);
    case 'release':
      useReleases.getState().upsert(event.release);
      void usePackages.getState().load();
      return;
    case 'packages':
      void usePackages.getState().load();
      // Connections count the packages they manage.
      void useConnections.getState().load();
      return;
    case 'attempt':
      useEndpointActivity.getState().onAttempt(event.attempt);
      refreshStatsSoon(event.attempt.endpointId);
      return;
    case 'message':
      useEndpointActivity.getState().onMessage(event.message);
      // Queued by anyone (the CLI, another window, a relay): its counts change before any attempt.
      refreshStatsSoon(event.message.endpointId);
      return;
    case 'endpoint': {
      const before = useEndpoints.getState().endpoints.find((e) => e.id === event.endpoint.id);
      useEndpoints.getState().upsert(event.endpoint);
      // Messages queued without an attempt (a disabled endpoint, another process) arrive only as a count.
      if (before && event.endpoint.stats.pendingMessages > before.stats.pendingMessages) useEndpointActivity.getState().queueGrew(event.endpoint.id);
      // Attempts made by another process (the CLI sends its own trigger) come only as new stats: the log and chart follow.
      if (before && event.endpoint.stats.attempts !== before.stats.attempts) useEndpointActivity.getState().attemptsChanged(event.endpoint.id);
      return;
    }
    case 'endpoints':
      void useEndpoints.getState().load();
      return;
    case 'progress':
      return useProgress.getState().onProgress(event.task, event.done, event.total);
    case 'tunnel':
      return useTunnel.getState().onStatus(event.status);
    case 'forward':
      return useForwards.getState().onForward(event.deliveryId, event.forward);
    case 'reload':
      return reloadFor(event);
  }
}

/** Another instance's event arrived only as a notice (too large to relay): read again what it feeds. */
function reloadFor({ of, endpointId, deliveryId }: Extract<PushEvent, { type: 'reload' }>): void {
  if (of === 'all') return loadAll();
  if (of === 'delivery') {
    useDeliveries.getState().reload();
    void useInboxes.getState().load();
  } else if (of === 'activity') {
    void useActivity.getState().load('');
    if (usePackageActivity.getState().loaded) void usePackageActivity.getState().refresh();
  } else if (of === 'release' || of === 'packages') {
    if (useReleases.getState().loaded) void useReleases.getState().refresh();
    void usePackages.getState().load();
  } else if (of === 'attempt' || of === 'message' || of === 'endpoint' || of === 'endpoints') {
    void useEndpoints.getState().load();
    if (endpointId) {
      useEndpointActivity.getState().attemptsChanged(endpointId);
      useEndpointActivity.getState().queueGrew(endpointId);
    }
  } else if (of === 'tunnel' || of === 'tunnel_gap') {
    if (useTunnel.getState().loaded) void useTunnel.getState().load();
  } else if (of === 'forward' && deliveryId !== undefined && useForwards.getState().deliveryId === deliveryId) {
    void useForwards.getState().load(deliveryId);
  }
}

/** The lists each screen reads, one call at a time: what the startup call stands in for, and its fallback. */
function loadEach(): void {
  useDeliveries.getState().reload();
  void usePackages.getState().load();
  void useDialects.getState().load();
  void useActivity.getState().load('');
  void useEndpoints.getState().load();
  void useConnections.getState().load();
  void useInboxes.getState().load();
}

function loadAll(): void {
  // One call for everything the first screen shows: a browser opens six connections per host
  // (one is the push channel), and eight calls answered one after another kept the rows waiting.
  loadStart().catch(loadEach);
  if (useReleases.getState().loaded) void useReleases.getState().refresh();
  if (usePackageActivity.getState().loaded) void usePackageActivity.getState().refresh();
  // Pages not on screen load when opened; these keep what is shown current after a reconnect.
  if (useTunnel.getState().loaded) void useTunnel.getState().load();
  if (useFixtures.getState().loaded) void useFixtures.getState().load();
}

/**
 * Connects every store to the engine: initial loads (or the first screen `serve` sent with the
 * page), then push events. Returns the disconnect.
 */
export function connect(api: Api, start: WindowStart | null = null): () => void {
  useConnection.setState({ api });
  const unsubscribe = api.subscribe(route);
  let wasDown = false;
  // The page's rows were read before the push channel opened: whatever arrived between is read once it is open.
  let behind = start !== null;
  const offLive = onLiveState((live) => {
    useConnection.setState({ live });
    if (live === 'reconnecting') wasDown = true;
    if (live === 'live' && behind) {
      behind = false;
      useDeliveries.getState().catchUp();
    }
    // Anything pushed while the channel was down was missed: load again.
    if (live === 'live' && wasDown) {
      wasDown = false;
      loadAll();
    }
  });
  if (start) applyStart(start, useDeliveries.getState().generation);
  else loadAll();
  return () => {
    offLive();
    unsubscribe();
  };
}
