import { ApiError } from '../../../shared/contract';
import { attemptsPage, messagesPage } from '../outbound/message-steps';
import { sqliteEndpointOps } from '../outbound/sqlite-endpoint-ops';
import { listActivity } from '../store/activity';
import { countDeliveries, listDeliveries } from '../store/deliveries';
import { keysetPage } from '../store/keyset';
import { countActivity, countReleases, hasInbox, hasPackage } from '../store/list-counts';
import { listReleases } from '../store/releases';
import { runOps } from '../store/steps';
import { noPackage } from '../store/package-decisions';
import type { HandlerContext, Handlers } from './handlers';

type ListMethods = 'deliveries.page' | 'activity.page' | 'releases.page' | 'endpoints.attemptsPage' | 'endpoints.messagesPage' | 'inboxes.capturesPage';

/** Every list a page at a time, each page below the cursor the previous one gave. */
export function createListHandlers({ db }: HandlerContext): Pick<Handlers, ListMethods> {
  const endpointOps = sqliteEndpointOps(db);
  return {
    'deliveries.page': ({ cursor, limit, total, ...filter }) =>
      keysetPage('deliveries', { cursor, limit, total }, (beforeId, n) => listDeliveries(db, { ...filter, beforeId, limit: n }), () => countDeliveries(db, filter)),
    'activity.page': ({ packageId, ...page }) =>
      keysetPage('activity', page, (beforeId, limit) => listActivity(db, { packageId, beforeId, limit }), () => countActivity(db, packageId)),
    'releases.page': ({ packageId, ...page }) => {
      if (!hasPackage(db, packageId)) throw new ApiError('not_found', noPackage(packageId));
      return keysetPage('releases', page, (beforeId, limit) => listReleases(db, packageId, { beforeId, limit }), () => countReleases(db, packageId));
    },
    'endpoints.attemptsPage': ({ id, ...page }) => runOps(attemptsPage(id, page), endpointOps),
    'endpoints.messagesPage': ({ id, ...page }) => runOps(messagesPage(id, page), endpointOps),
    'inboxes.capturesPage': ({ id, event, verdict, ...page }) => {
      if (!hasInbox(db, id)) throw new ApiError('not_found', `No inbox with id ${id}.`);
      const filter = { hookId: id, event, verdict };
      return keysetPage('captures', page, (beforeId, limit) => listDeliveries(db, { ...filter, beforeId, limit }), () => countDeliveries(db, filter));
    },
  };
}
