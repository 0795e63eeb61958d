import { keysetPageAsync } from '../../store/keyset';
import { pgCountDeliveries, pgListDeliveries } from '../../store/pg-delivery-reads';
import { DEFAULT_RECEIVER_URL } from '../../store/settings';
import { noInbox } from '../../inbox/inbox-decisions';
import { pgForwardTarget } from '../../inbox/forward/pg-target-ops';
import { pgAddInbox, pgGetInbox, pgHasInbox, pgInboxTimeline, pgListInboxes, pgRemoveInbox, pgRespondInbox, pgRotateInboxSecret, pgUpdateInbox } from '../../inbox/pg-inboxes';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

type InboxMethods =
  | 'inboxes.list'
  | 'inboxes.get'
  | 'inboxes.add'
  | 'inboxes.update'
  | 'inboxes.remove'
  | 'inboxes.captures'
  | 'inboxes.capturesPage'
  | 'inboxes.respond'
  | 'inboxes.forward'
  | 'inboxes.rotate'
  | 'inboxes.timeline';

/**
 * Inboxes and their captures on a team server's database, with the same checks, errors and
 * results as on a desktop data dir; like the SQLite handlers, they publish no event. Each
 * instance's receiver finds a new inbox at once (its lookup reads an unknown id); a change takes
 * effect on the instance that made it before the call answers, and on the others within a second
 * (their lookup's refresh). Forward targets set here are read by every instance's receiver in the
 * capture's own commit.
 */
export const pgInboxHandlers: PgHandlerGroup = (ctx): Pick<Handlers, InboxMethods> => {
  const { pool, box } = ctx;
  const base = () => ctx.receiverUrl() ?? DEFAULT_RECEIVER_URL;
  // This instance's receiver answers by the change before the call does, as on a data dir.
  const thenSeen = async <T>(id: string, change: Promise<T>): Promise<T> => {
    const result = await change;
    await ctx.inboxChanged?.(id);
    return result;
  };
  return {
    'inboxes.list': () => pgListInboxes(pool, base(), ctx.now()),
    'inboxes.get': ({ id }) => pgGetInbox(pool, id, base(), ctx.now()),
    'inboxes.add': (p) => pgAddInbox(pool, box, p, base(), ctx.now()),
    'inboxes.update': ({ id, ...patch }) => thenSeen(id, pgUpdateInbox(pool, id, patch, base(), ctx.now())),
    'inboxes.remove': ({ id }) => thenSeen(id, pgRemoveInbox(pool, id)),
    'inboxes.captures': async ({ id, beforeId, limit }) => {
      if (!(await pgHasInbox(pool, id))) throw noInbox(id);
      return pgListDeliveries(pool, { hookId: id, beforeId, limit });
    },
    'inboxes.capturesPage': async ({ id, event, verdict, ...page }) => {
      if (!(await pgHasInbox(pool, id))) throw noInbox(id);
      const filter = { hookId: id, event, verdict };
      return keysetPageAsync(
        'captures',
        page,
        (beforeId, limit) => pgListDeliveries(pool, { ...filter, beforeId, limit }),
        () => pgCountDeliveries(pool, filter),
      );
    },
    'inboxes.respond': ({ id, ...answer }) => thenSeen(id, pgRespondInbox(pool, id, answer)),
    'inboxes.forward': ({ id, ...target }) => pgForwardTarget(pool, id, target, ctx.now()),
    'inboxes.rotate': ({ id, secret, overlapSeconds }) =>
      thenSeen(
        id,
        pgRotateInboxSecret(
          pool,
          box,
          id,
          {
            secret,
            overlapMs: overlapSeconds === undefined ? undefined : overlapSeconds * 1000,
          },
          base(),
          ctx.now(),
        ),
      ),
    'inboxes.timeline': ({ id, eventId, limit }) => pgInboxTimeline(pool, id, { eventId, limit }),
  };
};
