/**
 * Proving a hook works end to end: the provider is asked to ping it (GitHub's ping; on
 * GitLab, which has none, a test push event), and the ping is watched for where it lands,
 * the receiver. A verified signature marks the hook verified. When it does not arrive,
 * the provider's own record of the attempt says why.
 */
import type { PingResult, ProviderDelivery } from '../../../shared/types';
import type { ProviderContext } from './context';
import { isProviderError } from './errors';
import { duration, waitForRow } from './hookbench-deliveries';
import { HISTORY_RULES } from './history-rules';
import { changeHook, loadManaged, requireHook, requireUpstream } from './managed';

export async function pingHook(ctx: ProviderContext, input: { id: string; waitMs: number }): Promise<PingResult> {
  const m = await loadManaged(ctx.store, input.id);
  const rules = HISTORY_RULES[m.pkg.provider];
  const up = await requireUpstream(ctx, m, 'ping the hook');
  const hookId = requireHook(m, 'ping it');
  const before = await ctx.store.lastDeliveryId(m.hook.id);
  const requestedAt = ctx.now();
  try {
    await up.api.history!.ping(m.repo, hookId);
  } catch (error) {
    if (isProviderError(error, 'not_found')) {
      const reason = `${error.message} Run "hookbench package rotate ${m.pkg.id}" to create a new one.`;
      await changeHook(ctx, m, { status: 'missing', statusReason: reason, upstreamCheckedAt: ctx.now() }, { kind: 'hook_missing', message: reason });
    }
    throw error;
  }

  const delivery = await waitForRow(() => ctx.store.deliveryAfter(m.hook.id, before, rules.pingEvent), input.waitMs, ctx.pollMs, ctx.signal);
  if (delivery) {
    const verified = delivery.verdict === 'valid' && delivery.outcome === rules.pingOutcome;
    // GitHub's ping verifies the hook in the receiver; GitLab's test push is an ordinary push there.
    if (verified && m.pkg.provider === 'gitlab' && m.hook.verifiedAt === null) {
      await changeHook(ctx, m, { status: 'active', statusReason: 'Test push received and verified.', verifiedAt: delivery.receivedAt }, {
        kind: 'hook_verified',
        message: 'GitLab\u2019s test push arrived and its token verified: the hook is set up.',
      });
    }
    return {
      id: m.pkg.id,
      requestedAt,
      arrived: true,
      verified,
      delivery,
      provider: null,
      message: verified
        ? `The ${m.pkg.provider === 'gitlab' ? 'test push' : 'ping'} arrived as delivery #${delivery.id} and its signature verified: the hook works.`
        : `The ping arrived as delivery #${delivery.id} but was ${delivery.outcome}: ${delivery.outcomeReason ?? delivery.verdict}. ` +
          `If the secrets differ, run "hookbench package rotate ${m.pkg.id}".`,
    };
  }

  // Not here: ask the provider what happened to it.
  let recorded: ProviderDelivery | null = null;
  try {
    const page = await up.api.history!.deliveries(m.repo, hookId, { perPage: 10 });
    // GitLab's events carry no time, newest first: the first of the kind is this one.
    const attempt = page.items.find((d) => d.event === rules.pingEvent && (d.deliveredAt === null || d.deliveredAt >= requestedAt - 60_000));
    if (attempt) recorded = { ...attempt, hookbench: null };
  } catch {
    // The ping itself was accepted; its record is a bonus.
  }
  const seconds = duration(input.waitMs);
  return {
    id: m.pkg.id,
    requestedAt,
    arrived: false,
    verified: false,
    delivery: null,
    provider: recorded,
    message: recorded
      ? `${rules.name} tried to deliver the ping to ${m.hookUrl} and got ${recorded.statusCode || 'no answer'} (${recorded.status}); nothing reached Hookbench within ${seconds}. ` +
        `Check that the address is reachable from ${rules.name} (is "hookbench serve" running? is the tunnel connected?).`
      : `${rules.name} accepted the ping, but nothing reached Hookbench within ${seconds}. Check that ${m.hookUrl} is reachable from ${rules.name} ` +
        `(is "hookbench serve" running? is the tunnel connected?), then look at "hookbench package deliveries" for ${rules.name}'s record.`,
  };
}
