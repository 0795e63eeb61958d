/**
 * Catch-up: first the provider redelivers what failed within its window (its own payload
 * and signature, the better copy), then whatever is still missing comes from the tags API.
 */
import type { CatchUpResult } from '../../../shared/types';
import type { ProviderContext } from './context';
import { duration, hookbenchCopies, waitForRow } from './hookbench-deliveries';
import { isProviderError } from './errors';
import { HISTORY_RULES } from './history-rules';
import { loadManaged, requireUpstream } from './managed';
import { knownTags, reconcileTags } from './reconcile';
import { redeliverFailed, type Redeliveries } from './redeliver';

export async function catchUp(ctx: ProviderContext, input: { id: string; redeliver: boolean; reconcile: boolean }): Promise<CatchUpResult> {
  const m = await loadManaged(ctx.store, input.id);
  const up = await requireUpstream(ctx, m, 'catch up');
  const messages: string[] = [];
  let redeliveries: Redeliveries = { redelivered: [], notRedelivered: [] };

  const rules = HISTORY_RULES[m.pkg.provider];
  if (input.redeliver && !m.hook.providerHookId) {
    messages.push('No hook upstream, so there is nothing to redeliver; the tags API covers what was missed.');
  } else if (input.redeliver) {
    const hookId = m.hook.providerHookId!;
    let history = true;
    try {
      redeliveries = await redeliverFailed(ctx, m, up, hookId, (await knownTags(ctx, m.pkg.id)).ingested);
    } catch (error) {
      // No delivery history to read (an older GitLab, a hook gone upstream): the tags API still covers what was missed.
      if (!isProviderError(error, 'not_found')) throw error;
      messages.push(`${error.message} Tags are reconciled instead.`);
      history = false;
    }
    const guids = redeliveries.redelivered.map((r) => r.guid);
    if (history && guids.length) {
      const arrived = async () => {
        const copies = await hookbenchCopies(ctx.store, m.hook.id, guids);
        return guids.every((g) => copies.has(g) && copies.get(g)!.outcome !== 'pending') ? copies : undefined;
      };
      await ctx.ingestIdle();
      const copies = (await waitForRow(arrived, ctx.redeliveryWaitMs, ctx.pollMs, ctx.signal)) ?? (await hookbenchCopies(ctx.store, m.hook.id, guids));
      const late = guids.filter((g) => !copies.has(g));
      messages.push(
        `${rules.name} redelivered ${guids.length - late.length} of ${guids.length} failed deliveries.` +
          (late.length ? ` Not arrived within ${duration(ctx.redeliveryWaitMs)}: ${late.join(', ')}; their tags are reconciled instead.` : ''),
      );
    } else if (history) {
      messages.push(`No failed ${rules.name} deliveries to redeliver.`);
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
