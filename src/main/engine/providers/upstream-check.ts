/**
 * Is each managed hook still there, switched on, pointing here, and answered well?
 * Missing and failing hooks are flagged with the reason and a feed entry; a change is
 * reported once, not on every check. Calls that fail for reasons unrelated to the hook
 * (network, rate limit, provider outage) change nothing and are only reported.
 */
import type { ActivityKind, HookStatus, UpstreamCheck } from '../../../shared/types';
import { originOf, providerName } from './base-url';
import type { UpstreamHook } from './api';
import type { ProviderContext } from './context';
import { isProviderError } from './errors';
import { changeHook, loadManaged, upstreamOf, type Managed, type Upstream } from './managed';

interface Verdict {
  status: HookStatus;
  reason: string | null;
}

const fix = (m: Managed) => `Run "hookbench package rotate ${m.pkg.id}" to create it again.`;

async function judge(m: Managed, up: Upstream, found: UpstreamHook | null): Promise<Verdict> {
  const who = providerName(m.pkg.provider);
  const id = m.hook.providerHookId!;
  if (found === null) {
    // A 404 also hides hooks from tokens that lost the right to see them: ask about the repository.
    let canAdmin: boolean | null = null;
    try {
      canAdmin = (await up.api.repository(m.pkg.repoFullName)).canAdmin;
    } catch (error) {
      if (isProviderError(error, 'not_found')) {
        return { status: 'failing', reason: `${error.message} The hook cannot be checked; it may still exist.` };
      }
      throw error;
    }
    if (canAdmin === false) {
      return {
        status: 'failing',
        reason: `${up.connection.login} can no longer manage hooks on ${m.pkg.repoFullName} (no admin/Maintainer role), so hook ${id} cannot be seen; it may still exist. Restore the role, or connect a token that has it and run "hookbench package rotate ${m.pkg.id} --connection <id>".`,
      };
    }
    return { status: 'missing', reason: `Hook ${id} no longer exists on ${who} for ${m.pkg.repoFullName}: it was deleted upstream. ${fix(m)}` };
  }
  if (!found.active) return { status: 'failing', reason: `${found.disabledReason ?? `Hook ${id} is disabled on ${who}.`} Nothing is delivered until it is enabled again.` };
  if (found.url !== null && found.url !== m.hookUrl) {
    return {
      status: 'failing',
      reason: `Hook ${id} on ${who} delivers to ${originOf(found.url)}, not to this package's hook URL at ${originOf(m.hookUrl)} (the public URL changed). Run "hookbench package rotate ${m.pkg.id}" to point it here.`,
    };
  }
  const last = found.lastResponse;
  if (last?.code !== null && last?.code !== undefined && (last.code < 200 || last.code >= 300)) {
    return {
      status: 'failing',
      reason: `${who}'s last delivery to hook ${id} got ${last.code || 'no answer'}${last.message ? ` (${last.message})` : ''}. "hookbench package deliveries ${m.pkg.id}" shows the attempts; "hookbench package catch-up ${m.pkg.id}" redelivers the failed ones.`,
    };
  }
  return { status: 'active', reason: null };
}

const KIND: Record<HookStatus, ActivityKind> = { missing: 'hook_missing', failing: 'hook_failing', active: 'hook_healthy', unregistered: 'hook_unregistered' };

async function checkOne(ctx: ProviderContext, packageId: string): Promise<UpstreamCheck> {
  const m = await loadManaged(ctx.store, packageId);
  const base = { packageId, status: m.hook.status, statusReason: m.hook.statusReason };
  if (!m.connection || !m.hook.providerHookId || m.hook.rotationStep !== null) {
    return { ...base, checked: false, changed: false, error: 'Not managed upstream (no connection, no hook, or a rotation under way).' };
  }
  const up = upstreamOf(ctx, m.connection);
  let verdict: Verdict;
  try {
    verdict = await judge(m, up, await up.api.getHook(m.repo, m.hook.providerHookId));
  } catch (error) {
    if (isProviderError(error, 'unauthorized', 'forbidden')) {
      verdict = { status: 'failing', reason: `Cannot check hook ${m.hook.providerHookId}: ${error.message}` };
    } else {
      return { ...base, checked: false, changed: false, error: (error as Error).message };
    }
  }
  const healthy = verdict.status === 'active';
  const recovered = healthy && m.hook.status !== 'active';
  const changed = recovered || (!healthy && (verdict.status !== m.hook.status || verdict.reason !== m.hook.statusReason));
  if (!changed) {
    await ctx.store.markChecked(m.hook.id, ctx.now());
    return { ...base, checked: true, changed: false, error: null };
  }
  const reason = healthy ? `Found again on ${providerName(m.pkg.provider)}, enabled and delivering here.` : verdict.reason;
  await changeHook(ctx, m, { status: verdict.status, statusReason: reason, upstreamCheckedAt: ctx.now() }, { kind: KIND[verdict.status], message: `Package ${m.pkg.name}: ${reason}` });
  return { packageId, status: verdict.status, statusReason: reason, checked: true, changed: true, error: null };
}

/**
 * One package, or every package with a hook upstream, one after another (no bursts against the API).
 * A stopped periodic check (the engine closing, another instance taking the check over) ends after the package under way.
 */
export async function checkUpstream(ctx: ProviderContext, packageId?: string, stopping?: AbortSignal): Promise<UpstreamCheck[]> {
  const ids = packageId ? [(await loadManaged(ctx.store, packageId)).pkg.id] : await ctx.store.checkablePackageIds();
  const results: UpstreamCheck[] = [];
  for (const id of ids) {
    if (stopping?.aborted) break;
    results.push(await checkOne(ctx, id));
  }
  return results;
}
