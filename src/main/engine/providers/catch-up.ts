/**
 * Catch-up: first GitHub redelivers what failed within its window (the provider's own
 * payload and signature, the better copy), then whatever is still missing comes from
 * the tags API.
 */
import type { CatchUpResult } from '../../../shared/types';
import type { ProviderContext } from './context';
import { duration, hookbenchCopies, waitForRow } from './hookbench-deliveries';
import { loadManaged, requireUpstream } from './managed';
import { knownTags, reconcileTags } from './reconcile';
import { redeliverFailed, type Redeliveries } from './redeliver';

export async function catchUp(ctx: ProviderContext, input: { id: string; redeliver: boolean; reconcile: boolean }): Promise<CatchUpResult> {
  const m = loadManaged(ctx.db, input.id);
  const up = requireUpstream(ctx, m, 'catch up');
  const messages: string[] = [];
  let redeliveries: Redeliveries = { redelivered: [], notRedelivered: [] };

  if (input.redeliver && m.pkg.provider === 'gitlab') {
    messages.push('GitLab: failed deliveries are not redelivered through the API; the tags API covers what they carried.');
  } else if (input.redeliver && !m.hook.providerHookId) {
    messages.push('No hook upstream, so there is nothing to redeliver; the tags API covers what was missed.');
  } else if (input.redeliver) {
    const hookId = m.hook.providerHookId!;
    redeliveries = await redeliverFailed(ctx, m, up, hookId, knownTags(ctx, m.pkg.id).ingested);
    const guids = redeliveries.redelivered.map((r) => r.guid);
    if (guids.length) {
      const arrived = () => {
        const copies = hookbenchCopies(ctx.db, m.hook.id, guids);
        return guids.every((g) => copies.has(g) && copies.get(g)!.outcome !== 'pending') ? copies : undefined;
      };
      await ctx.ingestIdle();
      const copies = (await waitForRow(arrived, ctx.redeliveryWaitMs, ctx.pollMs, ctx.signal)) ?? hookbenchCopies(ctx.db, m.hook.id, guids);
      const late = guids.filter((g) => !copies.has(g));
      messages.push(
        `GitHub redelivered ${guids.length - late.length} of ${guids.length} failed deliveries.` +
          (late.length ? ` Not arrived within ${duration(ctx.redeliveryWaitMs)}: ${late.join(', ')}; their tags are reconciled instead.` : ''),
      );
    } else {
      messages.push('No failed GitHub deliveries to redeliver.');
    }
  }

  const result: CatchUpResult = { id: m.pkg.id, ...redeliveries, tagsSeen: 0, reconciled: [], notSemver: [], messages };
  if (input.reconcile) {
    const r = await reconcileTags(ctx, m, up, ctx.redeliveryWaitMs);
    Object.assign(result, { tagsSeen: r.tagsSeen, reconciled: r.reconciled, notSemver: r.notSemver });
    messages.push(...r.messages);
  }
  return result;
}
