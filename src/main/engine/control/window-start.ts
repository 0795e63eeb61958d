import { ApiError, type MethodName, type ParsedParamsOf, type ResultOf } from '../../../shared/contract';
import type { Caller } from '../../../shared/access-types';
import { mayCall } from '../../../shared/roles';
import type { WindowStart } from '../../../shared/first-screen';
import { countsInLine } from '../store/delivery-count-aside';
import type { Handlers } from './handlers';

type Lists = Pick<Handlers, 'packages.list' | 'inboxes.list' | 'dialects.list' | 'endpoints.list' | 'connections.list' | 'activity.page'>;
/** The handlers the first screen is read from: the view's rows and count, and whichever lists are answered here. */
export type WindowStartParts = Pick<Handlers, 'deliveries.list' | 'deliveries.count'> & Partial<Lists>;

/**
 * The window's first screen in one answer, read from the same handlers the window would call one
 * by one, whichever store answers them. Each list is read as its own method would read it, and
 * only if the caller may call that method; one that is not answered here or fails with an
 * ApiError (an engine without provider connections, a method a team server's database does not
 * run yet) comes back null, so the window asks for it on its own and shows why. The count is in
 * the answer only when it costs no more than a page (a kept total, an index range): a count that
 * reads rows is asked for aside, so the first rows never wait for it.
 */
export function createWindowStart(parts: WindowStartParts): Pick<Handlers, 'window.start'> {
  async function part<M extends keyof Lists>(caller: Caller, method: M, params: ParsedParamsOf<M>): Promise<ResultOf<M> | null> {
    const read = parts[method] as ((p: ParsedParamsOf<M>, c: Caller) => ResultOf<M> | Promise<ResultOf<M>>) | undefined;
    if (!read || !mayCall(caller.role, method as MethodName)) return null;
    try {
      return await read(params, caller);
    } catch (error) {
      if (error instanceof ApiError) return null;
      throw error;
    }
  }

  return {
    'window.start': async ({ deliveries: { limit, ...view }, activityLimit }, caller): Promise<WindowStart> => {
      const rows = await parts['deliveries.list']({ ...view, limit }, caller);
      return {
        view,
        deliveries: rows,
        deliveryCount: rows.length < limit ? rows.length : countsInLine(view) && mayCall(caller.role, 'deliveries.count') ? (await parts['deliveries.count'](view, caller)).count : null,
        packages: await part(caller, 'packages.list', {}),
        inboxes: await part(caller, 'inboxes.list', {}),
        dialects: await part(caller, 'dialects.list', {}),
        endpoints: await part(caller, 'endpoints.list', {}),
        connections: await part(caller, 'connections.list', {}),
        activity: await part(caller, 'activity.page', { limit: activityLimit, total: true }),
      };
    },
  };
}
