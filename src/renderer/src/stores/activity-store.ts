import type { ActivityEntry } from '../../../shared/types';
import { call } from './connection-store';
import { createPagedList, pageOf } from './paged-list';

/** The whole feed, newest first, a page at a time (key ''), with its total. */
export const useActivity = createPagedList<ActivityEntry>(
  pageOf((_key, page) => call('activity.page', page)),
  () => true,
);
