/**
 * GitHub never retries a failed delivery by itself; it keeps each attempt for three days
 * and redelivers on request (same X-GitHub-Delivery id, signed with the hook's current
 * secret). Catch-up asks again for the failed ones that would ingest something.
 */
import type { CatchUpResult } from '../../../shared/types';
import type { RawDelivery } from './api';
import type { ProviderContext } from './context';
import { hookbenchCopies } from './hookbench-deliveries';
import type { Managed, Upstream } from './managed';
import { recordActivity } from '../store/activity';

export const REDELIVERY_WINDOW_MS = 3 * 86_400_000;
const PAGE = 100;
const MAX_PAGES = 10;

/** Newest first, until the window is passed (one page beyond, to report what fell out of it). */
async function recentAttempts(up: Upstream, m: Managed, hookId: string, since: number): Promise<RawDelivery[]> {
  const all: RawDelivery[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await up.api.history!.deliveries(m.repo, hookId, { perPage: PAGE, cursor });
    all.push(...items);
    if (!nextCursor || items.some((d) => d.deliveredAt < since)) break;
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
  const since = ctx.now() - REDELIVERY_WINDOW_MS;
  const byGuid = new Map<string, RawDelivery[]>();
  for (const d of await recentAttempts(up, m, hookId, since)) byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
  const failed = [...byGuid.values()]
    .filter((attempts) => !attempts.some((a) => ok(a.statusCode)))
    .map((attempts) => attempts.reduce((a, b) => (b.deliveredAt > a.deliveredAt ? b : a)))
    .sort((a, b) => a.deliveredAt - b.deliveredAt);
  const copies = hookbenchCopies(ctx.db, m.hook.id, failed.map((d) => d.guid));
  const result: Redeliveries = { redelivered: [], notRedelivered: [] };
  const skip = (d: RawDelivery, reason: string) => result.notRedelivered.push({ guid: d.guid, event: d.event, reason });

  for (const d of failed) {
    const copy = copies.get(d.guid);
    if (d.deliveredAt < since) {
      skip(d, `Failed on ${new Date(d.deliveredAt).toISOString()}, outside GitHub's 3-day redelivery window; tag reconciliation covers what it carried.`);
    } else if (copy && copy.outcome !== 'rejected') {
      skip(d, `Hookbench already has it as delivery #${copy.id} (${copy.outcome}).`);
    } else if (d.event !== 'push' && d.event !== 'ping') {
      skip(d, `"${d.event}" events ingest nothing.`);
    } else {
      let tag: string | null = null;
      if (d.event === 'push') {
        const payload = await up.api.history!.payload(m.repo, hookId, d.id);
        const ref = typeof payload?.ref === 'string' ? payload.ref : '';
        if (!ref.startsWith('refs/tags/')) {
          skip(d, `A push to ${ref || 'an unknown ref'}, not a tag: nothing to ingest.`);
          continue;
        }
        tag = ref.slice('refs/tags/'.length);
        if (payload?.deleted !== true && ingested(tag)) {
          skip(d, `Tag ${tag} is already ingested.`);
          continue;
        }
      }
      await up.api.history!.redeliver(m.repo, hookId, d.id);
      result.redelivered.push({ guid: d.guid, providerDeliveryId: d.id, event: d.event, tag });
      const entry = recordActivity(ctx.db, {
        kind: 'redelivered',
        packageId: m.pkg.id,
        at: ctx.now(),
        message: `Asked GitHub to redeliver ${d.event} delivery ${d.guid}${tag ? ` (tag ${tag})` : ''}, which had failed with ${d.statusCode || 'no answer'} (${d.status}).`,
      });
      ctx.publish({ type: 'activity', entry });
    }
  }
  return result;
}
