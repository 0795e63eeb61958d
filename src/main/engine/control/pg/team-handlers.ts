import { ApiError } from '../../../../shared/contract';
import { METHOD_NAMES, type MethodName } from '../../../../shared/methods';
import type { Handlers } from '../handlers';
import { createWindowStart } from '../window-start';
import type { PgHandlerContext } from './pg-handler-context';

/** A group of methods in its PostgreSQL form. */
export type PgHandlerGroup = (ctx: PgHandlerContext) => Partial<Handlers>;

const unavailable = (method: MethodName) => () => {
  throw new ApiError('unavailable', `${method} does not run on a team server's database yet; run it on a desktop data dir (hookbench migrate moves one to the server).`);
};

/**
 * The control API of a team server: every method a group answers on PostgreSQL, and for the
 * rest an answer saying so (never a silent fallback to some local data dir).
 */
export function createTeamHandlers(ctx: PgHandlerContext, groups: PgHandlerGroup[]): Handlers {
  const answered: Partial<Handlers> = Object.assign({}, ...groups.map((group) => group(ctx)));
  const all: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) all[method] = answered[method] ?? unavailable(method);
  // The window's first screen in one call, over every group's lists (a list still unavailable here is left for the window to ask).
  return Object.assign(all as Handlers, createWindowStart(all as Handlers));
}
