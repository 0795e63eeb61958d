import type { ActivityEntry, ActivityKind } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { recordActivity } from '../store/activity';

/** Where an endpoint sends, for the feed: no user:password@, no query (either can carry a token). */
export function urlForFeed(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Something happened to an endpoint that a person should be able to find later in Activity. */
export function recordEndpointActivity(db: Queryable, kind: ActivityKind, message: string, at = Date.now()): ActivityEntry {
  return recordActivity(db, { kind, message, at });
}
