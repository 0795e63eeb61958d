import { eq } from 'drizzle-orm';
import type { ActivityEntry, ReplayView } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { hooks } from '../db/schema';
import { urlForFeed } from '../outbound/endpoint-activity';
import { recordActivity, type NewActivity } from '../store/activity';

const OWN_HOOK = /^hookbench:\/hooks\/(.+)$/;
const OWN_INBOX = /^hookbench:\/in\/([^/?#]+)/;

/** The package hook a replay went into, when it went into one. */
export const replayedIntoHook = (replay: ReplayView): string | undefined => OWN_HOOK.exec(replay.targetUrl)?.[1];

/** A replay's feed entry, on either store: into a package it can publish a release, elsewhere it reached another system. */
export function replayActivity(replay: ReplayView, packageId: string | null): NewActivity {
  const what = `${replay.source} replayed (${replay.mode})`;
  const answer = replay.error ? `failed: ${replay.error}` : `answered ${replay.status ?? '-'}`;
  // An inbox's address is no URL anyone could open: the feed names the inbox instead.
  const inboxId = OWN_INBOX.exec(replay.targetUrl)?.[1];
  const stored = (what: string) => (replay.deliveryId ? `, stored as ${what} #${replay.deliveryId}` : '');
  const message = replayedIntoHook(replay)
    ? `${what} into this package's receiver: ${answer}${stored('delivery')}.`
    : inboxId
      ? `${what} into inbox ${inboxId}: ${answer}${stored('capture')}.`
      : `${what} to ${urlForFeed(replay.targetUrl)}: ${answer}.`;
  return { kind: 'replayed', message, packageId, deliveryId: replay.deliveryId, at: replay.createdAt };
}

export function recordReplayActivity(db: Queryable, replay: ReplayView): ActivityEntry {
  const hookId = replayedIntoHook(replay);
  const packageId = hookId ? (db.select({ packageId: hooks.packageId }).from(hooks).where(eq(hooks.id, hookId)).get()?.packageId ?? null) : null;
  return recordActivity(db, replayActivity(replay, packageId));
}
