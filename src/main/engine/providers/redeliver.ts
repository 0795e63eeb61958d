/**
 * GitHub never retries a failed delivery by itself; it keeps each attempt for three days
 * and redelivers on request (same X-GitHub-Delivery id, signed with the hook's current
 * secret). GitLab keeps a hook's events for seven days and resends one on request (same
 * Idempotency-Key). Catch-up asks again for the failed ones that would ingest something.
 */
import type { CatchUpResult } from '../../../shared/types';
import type { RawDelivery } from './api';
import type { ProviderContext } from './context';
import { hookbenchCopies } from './hookbench-deliveries';
import { HISTORY_RULES } from './history-rules';
import type { Managed, Upstream } from './managed';
import { readTagPush } from '../receiver/payload';

const PAGE = 100;
const MAX_PAGES = 10;

/** Newest first, until the window is passed (one page beyond, to report what fell out of it). */
async function recentAttempts(up: Upstream, m: Managed, hookId: string, since: number): Promise<RawDelivery[]> {
  const all: RawDelivery[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await up.api.history!.deliveries(m.repo, hookId, { perPage: PAGE, cursor });
    all.push(...items);
    if (!nextCursor || items.some((d) => d.deliveredAt !== null && d.deliveredAt < since)) break;
    cursor = nextCursor;
  }
  return all;
}

const ok = (code: number) => code >= 200 && code < 300;

export interface Redeliveries {
  redelivered: CatchUpResult['redelivered'];
  notRedelivered: CatchUpResult['notRedelivered'];
}

export async function redeliverFailed(
  ctx: ProviderContext,
  m: Managed,
  up: Upstream,
  hookId: string,
  ingested: (tag: string) => boolean,
): Promise<Redeliveries> {
  const rules = HISTORY_RULES[m.pkg.provider];
  const since = ctx.now() - rules.windowMs;
  const listed = await recentAttempts(up, m, hookId, since);
  // Listed newest first: without times, a later place in the list is an earlier event.
  const order = (d: RawDelivery) => (rules.timed ? (d.deliveredAt ?? 0) : listed.length - listed.indexOf(d));
  const byGuid = new Map<string, RawDelivery[]>();
  for (const d of listed) byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
  const failed = [...byGuid.values()]
    .filter((attempts) => !attempts.some((a) => ok(a.statusCode)))
    .map((attempts) => attempts.reduce((a, b) => (order(b) > order(a) ? b : a)))
    .sort((a, b) => order(a) - order(b));
  const copies = await hookbenchCopies(ctx.store, m.hook.id, failed.map((d) => d.guid));
  const result: Redeliveries = { redelivered: [], notRedelivered: [] };
  const skip = (d: RawDelivery, reason: string) => result.notRedelivered.push({ guid: d.guid, event: d.event, reason });

  for (const d of failed) {
    const copy = copies.get(d.guid);
    if (d.deliveredAt !== null && d.deliveredAt < since) {
      skip(d, `Failed on ${new Date(d.deliveredAt).toISOString()}, outside ${rules.name}'s ${Math.round(rules.windowMs / 86_400_000)}-day redelivery window; tag reconciliation covers what it carried.`);
    } else if (copy && copy.outcome !== 'rejected') {
      skip(d, `Hookbench already has it as delivery #${copy.id} (${copy.outcome}).`);
    } else if (!rules.pushEvents.includes(d.event) && d.event !== rules.pingEvent) {
      skip(d, `"${d.event}" events ingest nothing.`);
    } else {
      let tag: string | null = null;
      if (rules.pushEvents.includes(d.event)) {
        const payload = d.payload !== undefined ? d.payload : await up.api.history!.payload(m.repo, hookId, d.id);
        const push = payload ? readTagPush(m.pkg.provider, payload) : null;
        if (!push) {
          const ref = typeof payload?.ref === 'string' ? payload.ref : '';
          skip(d, `A push to ${ref || 'an unknown ref'}, not a tag: nothing to ingest.`);
          continue;
        }
        tag = push.tag;
        if (!push.deleted && ingested(tag)) {
          skip(d, `Tag ${tag} is already ingested.`);
          continue;
        }
      }
      await up.api.history!.redeliver(m.repo, hookId, d.id);
      result.redelivered.push({ guid: d.guid, providerDeliveryId: d.id, event: d.event, tag });
      const entry = await ctx.store.recordActivity({
        kind: 'redelivered',
        packageId: m.pkg.id,
        at: ctx.now(),
        message: `Asked ${rules.name} to redeliver ${d.event} delivery ${d.guid}${tag ? ` (tag ${tag})` : ''}, which had failed with ${d.statusCode || 'no answer'} (${d.status}).`,
      });
      ctx.publish({ type: 'activity', entry });
    }
  }
  return result;
}
