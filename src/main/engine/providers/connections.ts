import { randomBytes } from 'node:crypto';
import type { ConnectionAdded, ConnectionSummary, Provider } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import { providerApi } from './api';
import { apiBaseUrl, providerName, transportWarning } from './base-url';
import type { ProviderContext } from './context';
import type { ApiTarget } from './http';
import type { ConnectionRow, ProviderStore } from './provider-store';

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

function summarize(row: ConnectionRow, used: number): ConnectionSummary {
  const scopes = scopesOf(row);
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
  const row: ConnectionRow = {
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
  };
  await ctx.store.insertConnection(row, {
    kind: 'connection_added',
    at: now,
    message: `${providerName(input.provider)} connection ${id} added for ${info.login} at ${baseUrl}${info.scopes ? ` (scopes: ${info.scopes.join(', ') || 'none'})` : ''}.`,
  });
  // A new connection manages no package yet.
  return { ...summarize(row, 0), warnings: warningsFor(input.provider, info.scopes, info.expiresAt, baseUrl, now) };
}

export async function listConnections(store: ProviderStore): Promise<ConnectionSummary[]> {
  return (await store.connections()).map((use) => summarize(use.row, use.packages));
}

const noConnection = (id: string) => new ApiError('not_found', `No connection with id ${id}; "hookbench connection list" shows them.`);

export async function connectionRow(store: ProviderStore, id: string): Promise<ConnectionRow> {
  const row = await store.connection(id);
  if (!row) throw noConnection(id);
  return row;
}

/** Packages keep their hooks (upstream and here); only Hookbench's way to manage them goes. */
export async function removeConnection(store: ProviderStore, id: string): Promise<{ removed: true; detachedPackages: string[] }> {
  const row = await connectionRow(store, id);
  const detached = await store.removeConnection(id, (detached) => ({
    kind: 'connection_removed',
    message:
      `${providerName(row.provider)} connection ${id} (${row.login}) removed.` +
      (detached.length ? ` ${detached.length} package(s) keep their hooks but are no longer managed: ${detached.join(', ')}.` : ''),
  }));
  // Removed by another caller meanwhile: said as for any connection that is not there.
  if (detached === null) throw noConnection(id);
  return { removed: true as const, detachedPackages: detached };
}

export function targetFor(ctx: Pick<ProviderContext, 'box'>, row: ConnectionRow): ApiTarget {
  return { provider: row.provider, baseUrl: row.baseUrl, token: ctx.box.open(row.tokenSealed), key: row.id, label: `connection ${row.id} (${row.login})` };
}

export const whoOf = (row: ConnectionRow) => ({ login: row.login, scopes: scopesOf(row) });
