/**
 * Adding a package through a connection: the repository is looked up first (nothing is
 * saved for a typo), then the package is saved with its own secret, then the hook is
 * created upstream. A refusal leaves the package saved without a hook, and its status
 * says exactly what the credential lacks and how to fix it.
 */
import type { PackageConnected } from '../../../shared/types';
import { signingTokenFor } from '../ids';
import { originOf, providerName } from './base-url';
import { connectionRow } from './connections';
import type { ProviderContext } from './context';
import { ProviderError } from './errors';
import { awaitingProof, changeHook, loadManaged, upstreamOf, type Managed, type Upstream } from './managed';

export type CreateOutcome = { ok: true; providerHookId: string } | { ok: false; error: Error; reason: string };

/** Why a package has no hook upstream, with the command that fixes it. */
function unregisteredReason(m: Managed, error: Error): string {
  const id = m.pkg.id;
  if (error instanceof ProviderError && error.failure === 'forbidden') {
    return (
      `${error.message} The package is saved without a hook. Once the token is fixed, run "hookbench package rotate ${id}" ` +
      `(or, with a new token added as a connection, "hookbench package rotate ${id} --connection <connection id>") to create it.`
    );
  }
  return `Creating the hook on ${providerName(m.pkg.provider)} failed: ${error.message} The package is saved without a hook; run "hookbench package rotate ${id}" to try again.`;
}

/** Creates the hook upstream with the hook's current secret; the caller records the outcome. */
export async function createHookUpstream(ctx: ProviderContext, m: Managed, up: Upstream): Promise<CreateOutcome> {
  const secret = ctx.box.open(m.hook.secretSealed);
  try {
    const { id } = await up.api.createHook(m.repo, { url: m.hookUrl, secret, signingToken: signingTokenFor(secret) }, up.who);
    return { ok: true, providerHookId: id };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { ok: false, error, reason: unregisteredReason(m, error) };
  }
}

export async function addFromConnection(
  ctx: ProviderContext,
  input: { connectionId: string; repo: string; name?: string | undefined },
): Promise<PackageConnected> {
  const up = upstreamOf(ctx, await connectionRow(ctx.store, input.connectionId));
  const provider = up.connection.provider;
  const repo = await up.api.repository(input.repo);
  const created = await ctx.store.addPackage({ provider, repo: repo.fullName, repoId: repo.id, name: input.name, connectionId: up.connection.id }, ctx.now());
  ctx.publish({ type: 'packages' });
  const m = await loadManaged(ctx.store, created.id);
  const outcome = await createHookUpstream(ctx, m, up);
  if (outcome.ok) {
    await changeHook(
      ctx,
      m,
      (current) => ({ providerHookId: outcome.providerHookId, status: 'active', ...awaitingProof(provider, outcome.providerHookId)(current) }),
      {
        kind: 'hook_registered',
        // The feed names where deliveries go by host only: the hook URL's path is what keeps strangers out.
        message: `Hook ${outcome.providerHookId} created on ${providerName(provider)} for ${repo.fullName} through connection ${up.connection.id}, delivering to ${originOf(m.hookUrl)}.`,
      },
    );
  } else {
    await changeHook(ctx, m, { status: 'unregistered', statusReason: outcome.reason }, { kind: 'hook_unregistered', message: outcome.reason });
  }
  return {
    ...created,
    connectionId: up.connection.id,
    repo: repo.fullName,
    repoId: repo.id,
    registered: outcome.ok,
    hook: { status: m.hook.status, statusReason: m.hook.statusReason, providerHookId: m.hook.providerHookId },
  };
}
