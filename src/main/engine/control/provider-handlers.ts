import { ApiError } from '../../../shared/contract';
import type { Providers } from '../providers';
import type { HandlerContext, Handlers } from './handlers';

export type ProviderMethods = Extract<
  keyof Handlers,
  | `connections.${string}`
  | 'packages.addFromConnection'
  | 'packages.rotate'
  | 'packages.ping'
  | 'packages.providerDeliveries'
  | 'packages.catchUp'
  | 'packages.checkUpstream'
>;

/** The same methods on either store: what differs is the Providers' store (see providers/provider-store.ts). */
export function createProviderHandlers({ providers, bus, kickDispatcher }: Pick<HandlerContext, 'providers' | 'bus' | 'kickDispatcher'>): Pick<Handlers, ProviderMethods> {
  const need = (): Providers => {
    if (!providers) throw new ApiError('internal', 'This engine runs without provider connections.');
    return providers;
  };
  return {
    'connections.add': (p) => need().addConnection(p),
    'connections.list': () => need().listConnections(),
    'connections.remove': async ({ id }) => {
      const removed = await need().removeConnection(id);
      bus.publish({ type: 'packages' });
      return removed;
    },
    'packages.addFromConnection': async (p) => {
      const created = await need().addFromConnection(p);
      // package.created is queued for outbound endpoints with the package.
      kickDispatcher();
      return created;
    },
    'packages.rotate': (p) => need().rotate(p),
    'packages.ping': (p) => need().ping(p),
    'packages.providerDeliveries': (p) => need().deliveries(p),
    'packages.catchUp': (p) => need().catchUp(p),
    'packages.checkUpstream': ({ id }) => need().checkUpstream(id),
  };
}
