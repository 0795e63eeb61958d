import { createProviderHandlers, type ProviderMethods } from '../provider-handlers';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

/**
 * Provider connections and the hooks managed through them on a team server: the desktop's
 * handlers over Providers built on the team's database (pgProviderStore), so tokens are sealed
 * with the key every instance shares and each result is the one a data dir gives. A server
 * built without them leaves these methods answering "unavailable".
 */
export const pgProviderHandlers: PgHandlerGroup = (ctx): Partial<Pick<Handlers, ProviderMethods>> =>
  ctx.providers ? createProviderHandlers({ providers: ctx.providers, bus: ctx.bus, kickDispatcher: ctx.kickDispatcher }) : {};
