/**
 * When the receiver's public address changes (a tunnel created or removed), every hook URL
 * changes with it. Hooks Hookbench manages are pointed at the new URL on the provider; the
 * others are listed with where to paste the new one. Each hook's status says what is left
 * to do, so nothing keeps looking healthy while its provider delivers to an address nobody reads.
 */
import type { HookUrlChange } from '../../../shared/types';
import { signingTokenFor } from '../ids';
import { hookUrl } from '../store/settings';
import { providerName } from './base-url';
import { connectionRow } from './connections';
import type { ProviderContext } from './context';
import { changeHook, loadManaged, upstreamOf, type Managed } from './managed';

const pasteWhere = (m: Managed) =>
  m.pkg.provider === 'github'
    ? `GitHub: ${m.pkg.repoFullName} → Settings → Webhooks → Edit → Payload URL, then "Update webhook"`
    : `GitLab: ${m.pkg.repoFullName} → Settings → Webhooks → Edit → URL, and the secret token again (GitLab clears it when the URL changes), then "Save changes"`;

async function retargetOne(ctx: ProviderContext, m: Managed, oldUrl: string, newUrl: string): Promise<HookUrlChange> {
  const who = providerName(m.pkg.provider);
  const change = { packageId: m.pkg.id, packageName: m.pkg.name, provider: m.pkg.provider, repo: m.pkg.repoFullName, oldUrl, newUrl };
  if (m.connection && !m.hook.providerHookId) {
    const detail = `There is no hook on ${who} yet${m.hook.statusReason ? ` (${m.hook.statusReason})` : ''}; "hookbench package rotate ${m.pkg.id}" creates it at the new URL.`;
    return { ...change, outcome: 'manual', detail };
  }
  if (!m.connection || !m.hook.providerHookId) {
    const detail = `Paste the new URL into ${pasteWhere(m)}. Until then ${who} keeps sending to ${oldUrl}.`;
    // Not confirmed at the new address until a ping or delivery arrives there.
    await changeHook(ctx, m, { status: 'unregistered', verifiedAt: null, statusReason: `The hook URL changed to ${newUrl}. ${detail}` }, {
      kind: 'hook_url_changed',
      message: `Hook URL of package ${m.pkg.name} changed to ${newUrl}; no connection manages it, so it must be pasted on ${who}.`,
    });
    return { ...change, outcome: 'manual', detail };
  }
  const up = upstreamOf(ctx, await connectionRow(ctx.store, m.connection.id));
  const secret = ctx.box.open(m.hook.secretSealed);
  let failure: string;
  try {
    const result = await up.api.updateHookUrl(m.repo, m.hook.providerHookId, { url: newUrl, secret, signingToken: signingTokenFor(secret) }, up.who);
    if (result === 'updated') {
      const detail = `Updated on ${who} (hook ${m.hook.providerHookId}).`;
      await changeHook(ctx, m, { statusReason: `Hook URL changed to ${newUrl} on ${who}.` }, { kind: 'hook_url_changed', message: `Hook URL of package ${m.pkg.name} changed to ${newUrl} on ${who}.` });
      return { ...change, outcome: 'updated', detail };
    }
    failure = `${who} has no hook ${m.hook.providerHookId} on ${m.pkg.repoFullName} any more.`;
  } catch (error) {
    failure = (error as Error).message;
  }
  const detail = `${failure} ${who} still sends to ${oldUrl}. Run "hookbench package rotate ${m.pkg.id}" to create the hook again at the new URL.`;
  await changeHook(ctx, m, { status: 'failing', statusReason: `The hook URL could not be changed to ${newUrl}: ${detail}` }, {
    kind: 'hook_url_changed',
    message: `Hook URL of package ${m.pkg.name} could not be changed on ${who}: ${failure}`,
  });
  return { ...change, outcome: 'failed', detail };
}

/** Every package's hook, from the old base URL to the new one; one provider call per managed hook. */
export async function retargetHooks(ctx: ProviderContext, from: string, to: string): Promise<HookUrlChange[]> {
  if (from === to) return [];
  const ids = await ctx.store.packageIdsWithHooks();
  const changes: HookUrlChange[] = [];
  for (const id of ids) {
    const m = await loadManaged(ctx.store, id);
    changes.push(await retargetOne(ctx, m, hookUrl(from, m.hook.id), hookUrl(to, m.hook.id)));
  }
  return changes;
}
