/**
 * Rotating a package's hook secret.
 *
 * Through a connection the hook is deleted upstream and created again with a fresh
 * secret, in steps recorded on the hook (delete_old → create_new). The secret being
 * replaced keeps verifying until the new hook exists, so nothing in flight is refused.
 * A failure stops at its step with the reason on the hook; rotating again resumes there
 * with the same new secret.
 *
 * Without a connection there is nothing to call: a new secret is made, the old one keeps
 * verifying for an overlap, and the answer says where to paste the new one.
 */
import type { HookRotation } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import { DEFAULT_OVERLAP_MS } from '../secrets/rotation';
import { newHookSecret, signingTokenFor } from '../ids';
import { providerName } from './base-url';
import { connectionRow } from './connections';
import type { ProviderContext } from './context';
import { awaitingProof, changeHook, loadManaged, upstreamOf, type Managed } from './managed';
import { createHookUpstream } from './register';


const where = (provider: 'github' | 'gitlab', repo: string) =>
  provider === 'github'
    ? `GitHub: ${repo} → Settings → Webhooks → Edit → Secret, then "Update webhook"`
    : `GitLab: ${repo} → Settings → Webhooks → Edit → Secret token, then "Save changes"`;

async function rotateManually(ctx: ProviderContext, m: Managed, overlapMs: number): Promise<HookRotation> {
  const secret = newHookSecret();
  const until = ctx.now() + overlapMs;
  const instructions = `Paste the new secret into ${where(m.pkg.provider, m.pkg.repoFullName)}. The previous secret keeps verifying until ${new Date(until).toISOString()}.`;
  await changeHook(
    ctx,
    m,
    {
      secretSealed: ctx.box.seal(secret),
      previousSecretSealed: overlapMs > 0 ? m.hook.secretSealed : null,
      previousSecretExpiresAt: overlapMs > 0 ? until : null,
      rotationStep: null,
      rotationError: null,
      verifiedAt: null,
      statusReason: `Secret rotated; waiting for it on ${providerName(m.pkg.provider)}. ${instructions}`,
    },
    { kind: 'hook_rotated', message: `Secret of package ${m.pkg.name} rotated by hand (no connection manages its hook). ${instructions}` },
  );
  return {
    id: m.pkg.id,
    mode: 'manual',
    completed: true,
    stoppedAt: null,
    error: null,
    hookUrl: m.hookUrl,
    secret,
    signingToken: signingTokenFor(secret),
    providerHookId: m.hook.providerHookId,
    previousSecretValidUntil: overlapMs > 0 ? until : null,
    message: instructions,
  };
}

async function rotateUpstream(ctx: ProviderContext, m: Managed): Promise<HookRotation> {
  const up = upstreamOf(ctx, await connectionRow(ctx.store, m.connection!.id));
  const who = providerName(m.pkg.provider);
  const retry = `Run "hookbench package rotate ${m.pkg.id}" again to resume.`;

  if (m.hook.rotationStep === null) {
    // Start: the new secret is stored now; the one it replaces keeps verifying until the new hook exists.
    await changeHook(ctx, m, {
      secretSealed: ctx.box.seal(newHookSecret()),
      previousSecretSealed: m.hook.secretSealed,
      previousSecretExpiresAt: null,
      rotationStep: m.hook.providerHookId ? 'delete_old' : 'create_new',
      rotationError: null,
      verifiedAt: null,
    });
  }
  const secret = ctx.box.open(m.hook.secretSealed);
  const result = (completed: boolean, message: string, error: string | null = null): HookRotation => ({
    id: m.pkg.id,
    mode: 'upstream',
    completed,
    stoppedAt: completed ? null : m.hook.rotationStep,
    error,
    hookUrl: m.hookUrl,
    secret,
    signingToken: signingTokenFor(secret),
    providerHookId: m.hook.providerHookId,
    previousSecretValidUntil: null,
    message,
  });

  if (m.hook.rotationStep === 'delete_old' && m.hook.providerHookId) {
    const old = m.hook.providerHookId;
    try {
      await up.api.deleteHook(m.repo, old, up.who);
    } catch (error) {
      const message = `Rotation stopped before the old hook was deleted: ${(error as Error).message} The old hook and secret keep working. ${retry}`;
      await changeHook(ctx, m, { rotationError: message, statusReason: message }, { kind: 'hook_rotation_failed', message });
      return result(false, message, (error as Error).message);
    }
    await changeHook(ctx, m, { providerHookId: null, rotationStep: 'create_new' });
  } else if (m.hook.rotationStep === 'delete_old') {
    await changeHook(ctx, m, { rotationStep: 'create_new' });
  }

  const created = await createHookUpstream(ctx, m, up);
  if (!created.ok && m.hook.status === 'unregistered') {
    // There was never a hook upstream: nothing was taken away, the package just still has none.
    await changeHook(ctx, m, { rotationError: created.reason, statusReason: created.reason }, { kind: 'hook_unregistered', message: created.reason });
    return result(false, created.reason, created.error.message);
  }
  if (!created.ok) {
    const message =
      `Rotation stopped half-way: the old hook is gone from ${who} but the new one could not be created. ${created.reason} ` +
      `Until then ${who} delivers nothing for this package; the previous secret still verifies. ${retry}`;
    await changeHook(ctx, m, { rotationError: message, status: 'missing', statusReason: message }, { kind: 'hook_rotation_failed', message });
    return result(false, message, created.error.message);
  }
  await changeHook(
    ctx,
    m,
    (current) => ({
      providerHookId: created.providerHookId,
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      rotationStep: null,
      rotationError: null,
      status: 'active',
      ...awaitingProof(m.pkg.provider, created.providerHookId)(current),
    }),
    {
      kind: 'hook_rotated',
      message: `Hook re-created on ${who} as ${created.providerHookId} with a new secret; the previous secret no longer verifies.`,
    },
  );
  return result(true, `Hook re-created on ${who} as ${created.providerHookId} with a new secret, delivering to ${m.hookUrl}. The previous secret no longer verifies.`);
}

export async function rotateHook(
  ctx: ProviderContext,
  input: { id: string; connectionId?: string | undefined; overlapSeconds?: number | undefined },
): Promise<HookRotation> {
  if (input.connectionId !== undefined) {
    const m = await loadManaged(ctx.store, input.id);
    const connection = await connectionRow(ctx.store, input.connectionId);
    if (connection.provider !== m.pkg.provider) {
      throw new ApiError('invalid_params', `Connection ${connection.id} is for ${providerName(connection.provider)}, but package ${m.pkg.id} is on ${providerName(m.pkg.provider)}.`);
    }
    await ctx.store.setPackageConnection(m.pkg.id, connection.id);
  }
  const m = await loadManaged(ctx.store, input.id);
  if (!m.connection) {
    return rotateManually(ctx, m, input.overlapSeconds === undefined ? DEFAULT_OVERLAP_MS : input.overlapSeconds * 1000);
  }
  return rotateUpstream(ctx, m);
}
