import { and, eq } from 'drizzle-orm';
import { ApiError } from '../../../../shared/contract';
import type { InboxForwardTarget } from '../../../../shared/inbox-types';
import type { Queryable } from '../../db/open';
import { inboxForwards, inboxForwardTargets, inboxes } from '../../db/schema';

/** Retries after a failed forward, in seconds: a local app being restarted is back within these. */
export const DEFAULT_FORWARD_RETRY = [1, 5, 30, 120, 600, 1800, 3600];

type TargetRow = typeof inboxForwardTargets.$inferSelect;

export interface TargetInput {
  url: string;
  events?: string[] | undefined;
  pathRewrite?: string | null | undefined;
  passBack?: boolean | undefined;
  retrySeconds?: number[] | undefined;
}

export function toForwardTarget(row: TargetRow): InboxForwardTarget {
  return {
    url: row.url,
    events: JSON.parse(row.events) as string[],
    pathRewrite: row.pathRewrite,
    passBack: row.passBack,
    retrySeconds: JSON.parse(row.retrySeconds) as number[],
  };
}

/** A target that is this inbox's own address (direct, or through a smee channel) would forward each capture back into it for ever. */
function isOwnAddress(url: URL, inboxId: string): boolean {
  const own = `/in/${inboxId}`;
  return [url.pathname, url.searchParams.get('path') ?? ''].some((path) => path === own || path.startsWith(own + '/') || path.startsWith(own + '?'));
}

/** Only http(s) URLs with a host, normalised as the URL parser writes them. */
function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('invalid_params', `"${text}" is not a URL; give one such as http://localhost:3000/webhooks.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError('invalid_params', `"${text}" must be an http or https URL.`);
  if (url.hash) throw new ApiError('invalid_params', `"${text}" has a #fragment, which is never sent; leave it out.`);
  return url.toString();
}

/** `FROM=>TO`: both paths starting with "/". */
export function parsePathRewrite(rule: string): { from: string; to: string } {
  const at = rule.indexOf('=>');
  const from = at < 0 ? '' : rule.slice(0, at).trim();
  const to = at < 0 ? '' : rule.slice(at + 2).trim();
  if (at < 0 || !from.startsWith('/') || !to.startsWith('/')) {
    throw new ApiError('invalid_params', `Path rewrite "${rule}" should read FROM=>TO with both paths starting with "/", e.g. /stripe=>/api/webhooks.`);
  }
  return { from, to };
}

export function listForwardTargets(db: Queryable, inboxId: string): InboxForwardTarget[] {
  return db.select().from(inboxForwardTargets).where(eq(inboxForwardTargets.inboxId, inboxId)).orderBy(inboxForwardTargets.createdAt).all().map(toForwardTarget);
}

function requireInbox(db: Queryable, inboxId: string): void {
  if (!db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, inboxId)).get()) throw new ApiError('not_found', `No inbox with id ${inboxId}.`);
}

/** Adds a target, or replaces the one with the same URL; one target at most passes its answer back. */
export function setForwardTarget(db: Queryable, inboxId: string, input: TargetInput, now = Date.now()): InboxForwardTarget[] {
  requireInbox(db, inboxId);
  const url = checkUrl(input.url);
  if (isOwnAddress(new URL(url), inboxId)) {
    throw new ApiError('invalid_params', `${input.url} is this inbox's own address: each capture would be forwarded back into it, for ever. Forward to the app that should receive the captures.`);
  }
  const pathRewrite = input.pathRewrite ?? null;
  if (pathRewrite !== null) parsePathRewrite(pathRewrite);
  const retry = input.retrySeconds ?? DEFAULT_FORWARD_RETRY;
  const events = [...new Set(input.events ?? [])];
  const passBack = input.passBack ?? false;
  const other = listForwardTargets(db, inboxId).find((t) => t.passBack && t.url !== url);
  if (passBack && other) {
    throw new ApiError('invalid_params', `${other.url} already passes its answer back to the sender, and a sender gets one answer; set that target again without pass-back first.`);
  }
  db.insert(inboxForwardTargets)
    .values({ inboxId, url, events: JSON.stringify(events), pathRewrite, passBack, retrySeconds: JSON.stringify(retry), createdAt: now })
    .onConflictDoUpdate({
      target: [inboxForwardTargets.inboxId, inboxForwardTargets.url],
      set: { events: JSON.stringify(events), pathRewrite, passBack, retrySeconds: JSON.stringify(retry) },
    })
    .run();
  return listForwardTargets(db, inboxId);
}

/** Removes a target; its forwards still waiting are given up (those done are kept with their captures). */
export function removeForwardTarget(db: Queryable, inboxId: string, rawUrl: string, now = Date.now()): InboxForwardTarget[] {
  requireInbox(db, inboxId);
  const known = listForwardTargets(db, inboxId);
  let url = rawUrl;
  try {
    url = checkUrl(rawUrl);
  } catch {
    // Matched as given below.
  }
  const target = known.find((t) => t.url === url || t.url === rawUrl);
  if (!target) {
    throw new ApiError('not_found', `Inbox ${inboxId} forwards nothing to ${rawUrl}${known.length ? `; its targets: ${known.map((t) => t.url).join(', ')}` : ''}.`);
  }
  db.delete(inboxForwardTargets)
    .where(and(eq(inboxForwardTargets.inboxId, inboxId), eq(inboxForwardTargets.url, target.url)))
    .run();
  db.update(inboxForwards)
    .set({ state: 'failed', nextAttemptAt: null, error: 'The target was removed before this capture reached it.', updatedAt: now })
    .where(and(eq(inboxForwards.inboxId, inboxId), eq(inboxForwards.targetUrl, target.url), eq(inboxForwards.state, 'pending')))
    .run();
  return listForwardTargets(db, inboxId);
}
