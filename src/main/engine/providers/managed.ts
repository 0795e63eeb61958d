import { hooksChanged } from '../store/packages';
import { eq } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import type { ActivityKind } from '../../../shared/types';
import type { Db } from '../db/open';
import { connections, hooks, packages } from '../db/schema';
import { recordActivity } from '../store/activity';
import { hookUrl, receiverBaseUrl } from '../store/settings';
import { providerApi, type ProviderApi, type RepoRef, type HookPermissionContext } from './api';
import { connectionRow, targetFor, whoOf } from './connections';
import type { ProviderContext } from './context';

export type PackageRow = typeof packages.$inferSelect;
export type HookRow = typeof hooks.$inferSelect;
export type ConnectionRow = typeof connections.$inferSelect;

/** A package with its hook, and the connection that manages it upstream (if any). */
export interface Managed {
  pkg: PackageRow;
  hook: HookRow;
  connection: ConnectionRow | null;
  repo: RepoRef;
  /** Where the provider should deliver: the receiver's public URL for this hook, now. */
  hookUrl: string;
}

export function loadManaged(db: Db, packageId: string): Managed {
  const row = db.select({ pkg: packages, hook: hooks }).from(packages).innerJoin(hooks, eq(hooks.packageId, packages.id)).where(eq(packages.id, packageId)).get();
  if (!row) throw new ApiError('not_found', `No package with id ${packageId}.`);
  const connection = row.pkg.connectionId ? (db.select().from(connections).where(eq(connections.id, row.pkg.connectionId)).get() ?? null) : null;
  return {
    ...row,
    connection,
    repo: { fullName: row.pkg.repoFullName, id: row.pkg.repoId },
    hookUrl: hookUrl(receiverBaseUrl(db), row.hook.id),
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
export function requireUpstream(ctx: ProviderContext, m: Managed, doing: string): Upstream {
  if (!m.connection) {
    throw new ApiError(
      'conflict',
      `Package ${m.pkg.id} is not managed through a connection, so Hookbench cannot ${doing} on ${m.pkg.provider === 'github' ? 'GitHub' : 'GitLab'}. ` +
        `Attach one with "hookbench package rotate ${m.pkg.id} --connection <connection id>" (this re-creates the hook upstream).`,
    );
  }
  return upstreamOf(ctx, connectionRow(ctx.db, m.connection.id));
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
export function changeHook(
  ctx: ProviderContext,
  m: Managed,
  set: Partial<HookRow> | ((current: HookRow) => Partial<HookRow>),
  activity?: { kind: ActivityKind; message: string },
): void {
  const entry = ctx.db.transaction((tx) => {
    const current = tx.select().from(hooks).where(eq(hooks.id, m.hook.id)).get() ?? m.hook;
    const values = typeof set === 'function' ? set(current) : set;
    tx.update(hooks).set(values).where(eq(hooks.id, m.hook.id)).run();
    hooksChanged();
    Object.assign(m.hook, current, values);
    return activity ? recordActivity(tx, { ...activity, packageId: m.pkg.id, at: ctx.now() }) : null;
    // Immediate: a running serve writes the same row (a ping verifying it); read and write under one lock.
  }, { behavior: 'immediate' });
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
