import { ApiError } from '../../../shared/contract';
import type { HookUrlChange } from '../../../shared/types';
import { receiverBaseUrl } from '../store/settings';
import type { Tunnel } from '../tunnel';
import type { HandlerContext, Handlers } from './handlers';

type TunnelMethods = Extract<keyof Handlers, `tunnel.${string}`>;

/** A failure that is not the caller's (the smee server unreachable, the database) answers as internal, with its message. */
export function tunnelApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('internal', (error as Error).message);
}

export function createTunnelHandlers({ tunnel, providers, db }: HandlerContext): Pick<Handlers, TunnelMethods> {
  const need = (): Tunnel => {
    if (!tunnel) throw new ApiError('internal', 'This engine runs without a tunnel.');
    return tunnel;
  };
  /**
   * Creating or removing a tunnel can move every hook URL: the change is made, then each
   * hook follows (upstream where a connection manages it) and the answer lists them all.
   */
  async function movingHooks<T extends { hooks: HookUrlChange[] }>(change: () => Promise<T>): Promise<T> {
    const before = receiverBaseUrl(db);
    let result: T;
    try {
      result = await change();
    } catch (error) {
      throw tunnelApiError(error);
    }
    const after = receiverBaseUrl(db);
    if (before === after || !providers) return result;
    return { ...result, hooks: await providers.retargetHooks(before, after) };
  }
  return {
    'tunnel.create': ({ server }) => movingHooks(() => need().create({ server })),
    'tunnel.remove': () => movingHooks(() => need().remove()),
    'tunnel.status': () => need().status(),
    'tunnel.connect': () => need().connect(),
    'tunnel.disconnect': () => need().disconnect(),
    'tunnel.catchUp': () => {
      if (!providers) throw new ApiError('internal', 'This engine runs without provider connections, so it cannot catch up.');
      return need().catchUp((input) => providers.catchUp(input));
    },
  };
}
