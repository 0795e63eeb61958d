import type { Release } from '../../../shared/types';
import { call } from './connection-store';
import { createPagedList, pageOf } from './paged-list';

/** The open package's releases (key: the package id), newest first, with their total. */
export const useReleases = createPagedList<Release>(
  pageOf((packageId, page) => call('releases.page', { packageId, ...page })),
  (r, packageId) => r.packageId === packageId,
);
