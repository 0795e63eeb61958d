import { ApiError } from '../../../shared/contract';
import type { Tunnel } from '../tunnel';
import type { HandlerContext, Handlers } from './handlers';

type TunnelMethods = Extract<keyof Handlers, `tunnel.${string}`>;

export function createTunnelHandlers({ tunnel, providers }: HandlerContext): Pick<Handlers, TunnelMethods> {
  const need = (): Tunnel => {
    if (!tunnel) throw new ApiError('internal', 'This engine runs without a tunnel.');
    return tunnel;
  };
  return {
    'tunnel.create': async ({ server }) => {
      try {
        return await need().create({ server });
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError('internal', (error as Error).message);
      }
    },
    'tunnel.status': () => need().status(),
    'tunnel.connect': () => need().connect(),
    'tunnel.disconnect': () => need().disconnect(),
    'tunnel.catchUp': () => {
      if (!providers) throw new ApiError('internal', 'This engine runs without provider connections, so it cannot catch up.');
      return need().catchUp((input) => providers.catchUp(input));
    },
  };
}
