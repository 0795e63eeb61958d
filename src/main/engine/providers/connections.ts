import { count, desc, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { ConnectionAdded, ConnectionSummary, Provider } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { Db } from '../db/open';
import { connections, packages } from '../db/schema';
import { recordActivity } from '../store/activity';
import { providerApi } from './api';
import { apiBaseUrl, providerName, transportWarning } from './base-url';
import type { ProviderContext } from './context';
import type { ApiTarget } from './http';

type ConnectionRow = typeof connections.$inferSelect;

export const newConnectionId = () => 'conn_' + randomBytes(9).toString('base64url');

const scopesOf = (row: ConnectionRow): string[] | null => (row.scopes === null ? null : (JSON.parse(row.scopes) as string[]));

/** Whether the listed scopes allow creating and deleting hooks; null when the token does not list scopes. */
export function canManageHooks(provider: Provider, scopes: string[] | null): boolean | null {
  if (scopes === null) return null;
  return provider === 'github' ? scopes.includes('admin:repo_hook') || scopes.includes('repo') : scopes.includes('api');
}

function warningsFor(provider: Provider, scopes: string[] | null, expiresAt: number | null, apiBase: string, now: number): string[] {
  const warnings: string[] = [];
  const can = canManageHooks(provider, scopes);
  if (provider === 'github' && can === null) {
    warnings.push('This looks like a fine-grained token (GitHub lists no scopes for those): it needs the repository permission "Webhooks: Read and write" on each repository you add; adding a package will tell if it is missing.');
  } else if (provider === 'github' && can === false) {
    const partial = scopes!.includes('write:repo_hook') ? ' write:repo_hook lets Hookbench create hooks but not delete them, so rotation would fail.' : '';
    warnings.push(
      `The token's scopes (${scopes!.join(', ') || 'none'}) do not include admin:repo_hook (or repo): Hookbench cannot manage hooks with it, and packages added through it are saved without a hook.${partial} Fix: create a classic token with the admin:repo_hook scope and add it as a new connection.`,
    );
  } else if (provider === 'gitlab' && can === null) {
    warnings.push('GitLab did not say what this token may do (it may not be a personal access token): managing hooks needs the api scope and the Maintainer role; adding a package will tell if either is missing.');
  } else if (provider === 'gitlab' && can === false) {
    warnings.push(
      `The token's scopes (${scopes!.join(', ') || 'none'}) do not include api: Hookbench cannot manage hooks with it, and packages added through it are saved without a hook. Fix: create a personal access token with the api scope and add it as a new connection.`,
    );
  }
  if (expiresAt !== null) {
    const days = Math.floor((expiresAt - now) / 86_400_000);
    if (days < 14) warnings.push(`The token expires on ${new Date(expiresAt).toISOString().slice(0, 10)} (in ${Math.max(0, days)} days); hooks keep working after that, but Hookbench can no longer manage them.`);
  }
  const transport = transportWarning(apiBase);
  if (transport) warnings.push(transport);
  return warnings;
}

function summarize(db: Db, row: ConnectionRow): ConnectionSummary {
  const scopes = scopesOf(row);
  const used = db.select({ n: count() }).from(packages).where(eq(packages.connectionId, row.id)).get()?.n ?? 0;
  return {
    id: row.id,
    provider: row.provider,
    baseUrl: row.baseUrl,
    login: row.login,
    accountId: row.accountId,
    scopes,
    canManageHooks: canManageHooks(row.provider, scopes),
    serverVersion: row.serverVersion,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    packages: used,
  };
}

/** Asks the provider who the token belongs to and what it may do before keeping it; the token is kept sealed. */
export async function addConnection(ctx: ProviderContext, input: { provider: Provider; token: string; baseUrl?: string | undefined }): Promise<ConnectionAdded> {
  const baseUrl = apiBaseUrl(input.provider, input.baseUrl);
  const target: ApiTarget = { provider: input.provider, baseUrl, token: input.token, key: `new:${input.provider}:${baseUrl}`, label: 'the new token' };
  const info = await providerApi(ctx.client, target).whoami();
  const now = ctx.now();
  const id = newConnectionId();
  const row = ctx.db.transaction((tx) => {
    const inserted = tx
      .insert(connections)
      .values({
        id,
        provider: input.provider,
        baseUrl,
        tokenSealed: ctx.box.seal(input.token),
        login: info.login,
        accountId: info.accountId,
        scopes: info.scopes === null ? null : JSON.stringify(info.scopes),
        serverVersion: info.serverVersion,
        expiresAt: info.expiresAt,
        createdAt: now,
      })
      .returning()
      .get();
    recordActivity(tx, {
      kind: 'connection_added',
      at: now,
      message: `${providerName(input.provider)} connection ${id} added for ${info.login} at ${baseUrl}${info.scopes ? ` (scopes: ${info.scopes.join(', ') || 'none'})` : ''}.`,
    });
    return inserted;
  });
  return { ...summarize(ctx.db, row), warnings: warningsFor(input.provider, info.scopes, info.expiresAt, baseUrl, now) };
}

export function listConnections(db: Db): ConnectionSummary[] {
  return db
    .select()
    .from(connections)
    .orderBy(desc(connections.createdAt))
    .all()
    .map((row) => summarize(db, row));
}

export function connectionRow(db: Db, id: string): ConnectionRow {
  const row = db.select().from(connections).where(eq(connections.id, id)).get();
  if (!row) throw new ApiError('not_found', `No connection with id ${id}; "hookbench connection list" shows them.`);
  return row;
}

/** Packages keep their hooks (upstream and here); only Hookbench's way to manage them goes. */
export function removeConnection(db: Db, id: string): { removed: true; detachedPackages: string[] } {
  const row = connectionRow(db, id);
  return db.transaction((tx) => {
    const detached = tx.select({ id: packages.id }).from(packages).where(eq(packages.connectionId, id)).all().map((p) => p.id);
    tx.update(packages).set({ connectionId: null }).where(eq(packages.connectionId, id)).run();
    tx.delete(connections).where(eq(connections.id, id)).run();
    recordActivity(tx, {
      kind: 'connection_removed',
      message:
        `${providerName(row.provider)} connection ${id} (${row.login}) removed.` +
        (detached.length ? ` ${detached.length} package(s) keep their hooks but are no longer managed: ${detached.join(', ')}.` : ''),
    });
    return { removed: true as const, detachedPackages: detached };
  }, { behavior: 'immediate' });
}

export function targetFor(ctx: Pick<ProviderContext, 'box'>, row: ConnectionRow): ApiTarget {
  return { provider: row.provider, baseUrl: row.baseUrl, token: ctx.box.open(row.tokenSealed), key: row.id, label: `connection ${row.id} (${row.login})` };
}

export const whoOf = (row: ConnectionRow) => ({ login: row.login, scopes: scopesOf(row) });
