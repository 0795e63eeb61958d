import type { Api, PushEvent } from '../../../shared/contract';
import { onLiveState } from '../api/transport';
import { useActivity } from './activity-store';
import { useConnection } from './connection-store';
import { useDeliveries } from './deliveries-store';
import { useDialects } from './dialects-store';
import { useEndpointActivity } from './endpoint-activity-store';
import { useEndpoints } from './endpoints-store';
import { usePackages } from './packages-store';

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
      return useDeliveries.getState().onDelivery(event.delivery);
    case 'activity':
      return useActivity.getState().onEntry(event.entry);
    case 'release':
      usePackages.getState().onRelease(event.release);
      void usePackages.getState().load();
      return;
    case 'packages':
      void usePackages.getState().load();
      return;
    case 'attempt':
      useEndpointActivity.getState().onAttempt(event.attempt);
      refreshStatsSoon(event.attempt.endpointId);
      return;
    case 'message':
      return useEndpointActivity.getState().onMessage(event.message);
    case 'endpoint':
      return useEndpoints.getState().upsert(event.endpoint);
    case 'endpoints':
      void useEndpoints.getState().load();
      return;
  }
}

function loadAll(): void {
  void usePackages.getState().load();
  void useActivity.getState().load();
  void useDialects.getState().load();
  void useEndpoints.getState().load();
  useDeliveries.getState().reload();
}

/** Connects every store to the engine: initial loads, then push events. Returns the disconnect. */
export function connect(api: Api): () => void {
  useConnection.setState({ api });
  const unsubscribe = api.subscribe(route);
  let wasDown = false;
  const offLive = onLiveState((live) => {
    useConnection.setState({ live });
    if (live === 'reconnecting') wasDown = true;
    // Anything pushed while the channel was down was missed: load again.
    if (live === 'live' && wasDown) {
      wasDown = false;
      loadAll();
    }
  });
  loadAll();
  return () => {
    offLive();
    unsubscribe();
  };
}
