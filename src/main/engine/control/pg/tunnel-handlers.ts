import { ApiError } from '../../../../shared/contract';
import type { ActivityKind, HookUrlChange } from '../../../../shared/types';
import { DEFAULT_RECEIVER_URL } from '../../store/settings';
import { tunnelCommands } from '../../tunnel/commands';
import { createGapLog } from '../../tunnel/gap-log';
import { pgTunnelStore } from '../../tunnel/pg-tunnel-statements';
import { readSavedStatus, receiverBaseOf } from '../../tunnel/saved-status';
import type { Handlers } from '../handlers';
import { tunnelApiError } from '../tunnel-handlers';
import type { PgHandlerContext } from './pg-handler-context';
import type { PgHandlerGroup } from './team-handlers';

type TunnelMethods = Extract<keyof Handlers, `tunnel.${string}`>;

/** As the data dir's tunnel answers: a failure that is not the caller's is internal, with its message. */
async function answering<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw tunnelApiError(error);
  }
}

/** What a team server's tunnel commands change: no hook is managed upstream here, so none moves. */
const noHooksMoved = <T extends object>(result: T): T & { hooks: HookUrlChange[] } => ({ ...result, hooks: [] });

/**
 * The tunnel on a team server: the instance holding the 'tunnel' role answers its status live;
 * every other one from the database (as the holder last saved it, checked against whether any
 * instance still holds the role); create, connect, disconnect and remove are recorded there and followed by
 * the holder, which watches the settings and is told at once through the 'packages' event
 * every instance's bus carries.
 */
export const pgTunnelHandlers: PgHandlerGroup = (ctx: PgHandlerContext): Pick<Handlers, TunnelMethods> => {
  const { pool, bus } = ctx;
  const receiverUrl = () => ctx.receiverUrl() ?? DEFAULT_RECEIVER_URL;
  const store = pgTunnelStore(pool, { receiverUrl });
  const activity = async (kind: ActivityKind, message: string) => bus.publish({ type: 'activity', entry: await store.recordActivity({ kind, message, at: ctx.now() }) });
  const gapLog = createGapLog({ store, record: (message) => void activity('tunnel_gap', message), announce: (gap) => bus.publish({ type: 'tunnel_gap', gap }) });
  // The instance holding the connection answers from it, as the desktop engine does; the others, with what it saved.
  const status = () => (ctx.tunnel?.running() ? ctx.tunnel.status() : readSavedStatus(store, ctx.now()));
  const commands = tunnelCommands({
    store,
    gapLog,
    publish: (event) => bus.publish(event),
    activity,
    // Every instance hears of the change; the holder, if it is this one, has followed it before the call answers.
    reconcile: async () => {
      bus.publish({ type: 'packages' });
      if (ctx.tunnel?.running()) await ctx.tunnel.reconcile();
    },
    status,
    receiverBase: receiverBaseOf,
    now: ctx.now,
  });
  return {
    'tunnel.status': status,
    'tunnel.create': ({ server }) => answering(async () => noHooksMoved(await commands.create({ server }))),
    'tunnel.remove': () => answering(async () => noHooksMoved(await commands.remove())),
    'tunnel.connect': () => commands.connect(),
    'tunnel.disconnect': () => commands.disconnect(),
    'tunnel.catchUp': () => {
      const providers = ctx.providers;
      if (!providers) throw new ApiError('internal', 'This server runs without provider connections, so it cannot catch up.');
      return commands.catchUp((input) => providers.catchUp(input));
    },
  };
};
