import type { ActivityEntry } from '../../../shared/types';
import { call } from './connection-store';
import { createPagedList, pageOf } from './paged-list';

/** The whole feed, newest first, a page at a time (key ''), with its total. */
export const useActivity = createPagedList<ActivityEntry>(
  pageOf((_key, page) => call('activity.page', page)),
  () => true,
);

/** One package's entries (key: the package id), read through the feed's package index. */
export const usePackageActivity = createPagedList<ActivityEntry>(
  pageOf((packageId, page) => call('activity.page', { packageId, ...page })),
  (e, packageId) => e.packageId === packageId,
);
