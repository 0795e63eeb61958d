import { ApiError } from '../../../shared/contract';
import type { ActivityKind } from '../../../shared/types';
import { noPackage } from '../store/package-decisions';
import { hookUrl } from '../store/settings';
import { providerApi, type ProviderApi, type RepoRef, type HookPermissionContext } from './api';
import { connectionRow, targetFor, whoOf } from './connections';
import type { ProviderContext } from './context';
import type { ConnectionRow, HookRow, PackageRow, ProviderStore } from './provider-store';

export type { ConnectionRow, HookRow, PackageRow } from './provider-store';

/** A package with its hook, and the connection that manages it upstream (if any). */
export interface Managed {
  pkg: PackageRow;
  hook: HookRow;
  connection: ConnectionRow | null;
  repo: RepoRef;
  /** Where the provider should deliver: the receiver's public URL for this hook, now. */
  hookUrl: string;
}

export async function loadManaged(store: ProviderStore, packageId: string): Promise<Managed> {
  const row = await store.managed(packageId);
  if (!row) throw new ApiError('not_found', noPackage(packageId));
  return {
    ...row,
    repo: { fullName: row.pkg.repoFullName, id: row.pkg.repoId },
    hookUrl: hookUrl(await store.receiverBase(), row.hook.id),
  };
}

export interface Upstream {
  connection: ConnectionRow;
  api: ProviderApi;
  who: HookPermissionContext;
}

export function upstreamOf(ctx: ProviderContext, connection: ConnectionRow): Upstream {
  return { connection, api: providerApi(ctx.client, targetFor(ctx, connection)), who: whoOf(connection) };
}

/** The connection a package is managed through, or a message saying how to give it one. */
export async function requireUpstream(ctx: ProviderContext, m: Managed, doing: string): Promise<Upstream> {
  if (!m.connection) {
    throw new ApiError(
      'conflict',
      `Package ${m.pkg.id} is not managed through a connection, so Hookbench cannot ${doing} on ${m.pkg.provider === 'github' ? 'GitHub' : 'GitLab'}. ` +
        `Attach one with "hookbench package rotate ${m.pkg.id} --connection <connection id>" (this re-creates the hook upstream).`,
    );
  }
  return upstreamOf(ctx, await connectionRow(ctx.store, m.connection.id));
}

export function requireHook(m: Managed, doing: string): string {
  if (!m.hook.providerHookId) {
    throw new ApiError(
      'conflict',
      `Package ${m.pkg.id} has no hook upstream, so Hookbench cannot ${doing}${m.hook.statusReason ? ` (${m.hook.statusReason})` : ''}. ` +
        `Create it with "hookbench package rotate ${m.pkg.id}".`,
    );
  }
  return m.hook.providerHookId;
}

/**
 * Writes a hook's new state with its activity row, then tells listeners. The new state is
 * computed from the row as it is inside the transaction: a ping may have verified the hook
 * while the provider call that led here was under way.
 */
export async function changeHook(
  ctx: ProviderContext,
  m: Managed,
  set: Partial<HookRow> | ((current: HookRow) => Partial<HookRow>),
  activity?: { kind: ActivityKind; message: string },
): Promise<void> {
  const { hook, entry } = await ctx.store.changeHook(m.hook, typeof set === 'function' ? set : () => set, activity ? { ...activity, packageId: m.pkg.id, at: ctx.now() } : null);
  Object.assign(m.hook, hook);
  ctx.publish({ type: 'packages' });
  if (entry) ctx.publish({ type: 'activity', entry });
}

/** A new hook is waiting for its first verified delivery, unless one already came. */
export const awaitingProof = (provider: 'github' | 'gitlab', providerHookId: string) => (current: HookRow): Partial<HookRow> =>
  current.verifiedAt !== null
    ? {}
    : {
        statusReason:
          provider === 'github'
            ? `Created on GitHub as hook ${providerHookId}; waiting for the ping GitHub sends to a new hook.`
            : `Created on GitLab as hook ${providerHookId}; the next tag push confirms it.`,
      };
