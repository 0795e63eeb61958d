import { eq } from 'drizzle-orm';
import type { ActivityEntry, ReplayView } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { hooks } from '../db/schema';
import { urlForFeed } from '../outbound/endpoint-activity';
import { recordActivity } from '../store/activity';

const OWN_HOOK = /^hookbench:\/hooks\/(.+)$/;

/** A replay goes in the feed: into a package it can publish a release, elsewhere it reached another system. */
export function recordReplayActivity(db: Queryable, replay: ReplayView): ActivityEntry {
  const hookId = OWN_HOOK.exec(replay.targetUrl)?.[1];
  const packageId = hookId ? (db.select({ packageId: hooks.packageId }).from(hooks).where(eq(hooks.id, hookId)).get()?.packageId ?? null) : null;
  const what = `${replay.source} replayed (${replay.mode})`;
  const answer = replay.error ? `failed: ${replay.error}` : `answered ${replay.status ?? '-'}`;
  const message = hookId
    ? `${what} into this package's receiver: ${answer}${replay.deliveryId ? `, stored as delivery #${replay.deliveryId}` : ''}.`
    : `${what} to ${urlForFeed(replay.targetUrl)}: ${answer}.`;
  return recordActivity(db, { kind: 'replayed', message, packageId, deliveryId: replay.deliveryId, at: replay.createdAt });
}
