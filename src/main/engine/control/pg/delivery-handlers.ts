import { listDialectInfos } from '../../dialects/dialect-infos';
import { keepMark, keptAnswer } from '../../retention/keep-delivery';
import { keysetPageAsync } from '../../store/keyset';
import { pgCountActivity, pgListActivity } from '../../store/pg-activity-reads';
import { pgCountDeliveries, pgGetDelivery, pgKeepDelivery, pgListDeliveries } from '../../store/pg-delivery-reads';
import type { Handlers } from '../handlers';
import { createWindowStart } from '../window-start';
import type { PgHandlerGroup } from './team-handlers';

type DeliveryMethods = 'deliveries.list' | 'deliveries.page' | 'deliveries.count' | 'deliveries.get' | 'deliveries.keep' | 'activity.list' | 'activity.page' | 'dialects.list' | 'window.start';

/**
 * Deliveries and the activity feed on a team server's database: the same filters, search,
 * pages, cursors, totals and masking as on a desktop data dir, read by PostgreSQL statements.
 * window.start reads the first screen from these handlers; the lists other groups answer come
 * back null here (the window then asks for them on its own) unless it is composed over the
 * whole team server's handlers.
 */
export const pgDeliveryHandlers: PgHandlerGroup = ({ pool, now }) => {
  const handlers: Pick<Handlers, Exclude<DeliveryMethods, 'window.start'>> = {
    'deliveries.list': (p) => pgListDeliveries(pool, p),
    'deliveries.page': ({ cursor, limit, total, ...filter }) =>
      keysetPageAsync(
        'deliveries',
        { cursor, limit, total },
        (beforeId, n) => pgListDeliveries(pool, { ...filter, beforeId, limit: n }),
        () => pgCountDeliveries(pool, filter),
      ),
    'deliveries.count': async (p) => ({ count: await pgCountDeliveries(pool, p) }),
    'deliveries.get': ({ id }) => pgGetDelivery(pool, id),
    'deliveries.keep': async ({ id, keep }) => {
      const keptAt = keepMark(keep, now());
      return keptAnswer(id, keep, keptAt, await pgKeepDelivery(pool, id, keptAt));
    },
    'activity.list': (p) => pgListActivity(pool, p),
    'activity.page': ({ packageId, ...page }) =>
      keysetPageAsync(
        'activity',
        page,
        (beforeId, limit) => pgListActivity(pool, { packageId, beforeId, limit }),
        () => pgCountActivity(pool, packageId),
      ),
    'dialects.list': listDialectInfos,
  };
  return { ...handlers, ...createWindowStart(handlers) };
};
