/**
 * Proving a hook works end to end: the provider is asked to ping it, and the ping is
 * watched for where it lands, the receiver (which marks the hook verified when the
 * signature checks out). When it does not arrive, the provider's own record of the
 * attempt says why.
 */
import type { PingResult, ProviderDelivery } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { ProviderContext } from './context';
import { isProviderError } from './errors';
import { deliveryAfter, duration, lastDeliveryId, waitForRow } from './hookbench-deliveries';
import { changeHook, loadManaged, requireHook, requireUpstream } from './managed';

export async function pingHook(ctx: ProviderContext, input: { id: string; waitMs: number }): Promise<PingResult> {
  const m = loadManaged(ctx.db, input.id);
  if (m.pkg.provider === 'gitlab') {
    throw new ApiError(
      'conflict',
      `GitLab has no ping for project hooks. Push a tag, or use ${m.pkg.repoFullName} → Settings → Webhooks → Test → Tag push events; the delivery shows in "hookbench delivery list --package ${m.pkg.id}".`,
    );
  }
  const up = requireUpstream(ctx, m, 'ping the hook');
  const hookId = requireHook(m, 'ping it');
  const before = lastDeliveryId(ctx.db, m.hook.id);
  const requestedAt = ctx.now();
  try {
    await up.api.history!.ping(m.repo, hookId);
  } catch (error) {
    if (isProviderError(error, 'not_found')) {
      const reason = `${error.message} Run "hookbench package rotate ${m.pkg.id}" to create a new one.`;
      changeHook(ctx, m, { status: 'missing', statusReason: reason, upstreamCheckedAt: ctx.now() }, { kind: 'hook_missing', message: reason });
    }
    throw error;
  }

  const delivery = await waitForRow(() => deliveryAfter(ctx.db, m.hook.id, before, 'ping'), input.waitMs, ctx.pollMs, ctx.signal);
  if (delivery) {
    const verified = delivery.verdict === 'valid' && delivery.outcome === 'ping';
    return {
      id: m.pkg.id,
      requestedAt,
      arrived: true,
      verified,
      delivery,
      provider: null,
      message: verified
        ? `The ping arrived as delivery #${delivery.id} and its signature verified: the hook works.`
        : `The ping arrived as delivery #${delivery.id} but was ${delivery.outcome}: ${delivery.outcomeReason ?? delivery.verdict}. ` +
          `If the secrets differ, run "hookbench package rotate ${m.pkg.id}".`,
    };
  }

  // Not here: ask GitHub what happened to it.
  let recorded: ProviderDelivery | null = null;
  try {
    const page = await up.api.history!.deliveries(m.repo, hookId, { perPage: 10 });
    const attempt = page.items.find((d) => d.event === 'ping' && d.deliveredAt >= requestedAt - 60_000);
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
      ? `GitHub tried to deliver the ping to ${m.hookUrl} and got ${recorded.statusCode || 'no answer'} (${recorded.status}); nothing reached Hookbench within ${seconds}. ` +
        'Check that the address is reachable from GitHub (is "hookbench serve" running? is the tunnel connected?).'
      : `GitHub accepted the ping, but nothing reached Hookbench within ${seconds}. Check that ${m.hookUrl} is reachable from GitHub ` +
        '(is "hookbench serve" running? is the tunnel connected?), then look at "hookbench package deliveries" for GitHub\'s record.',
  };
}
