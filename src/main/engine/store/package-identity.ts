import { and, eq } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import type { Provider } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { connections, packages } from '../db/schema';
import { apiBaseUrl, providerName } from '../providers/base-url';

/**
 * A repository id is unique on one server: GitHub.com, GitLab.com, or a self-hosted one.
 * A package added by hand is taken to be on the provider's public server.
 */
const serverOf = (provider: Provider, connectionBaseUrl: string | null | undefined) => connectionBaseUrl ?? apiBaseUrl(provider);

export type RepositoryClaim = { provider: Provider; repoId: string; connectionId?: string | null | undefined };

/** A package already stored for the same provider and repository id, with its connection's server. */
export interface SameRepositoryRow {
  id: string;
  name: string;
  repo: string;
  baseUrl: string | null;
}

/**
 * Refuses a second package for a repository that already has one: both would verify and
 * ingest every tag push, and publish each release twice.
 */
export function refuseSameRepository(db: Queryable, input: RepositoryClaim): void {
  const existing = db
    .select({ id: packages.id, name: packages.name, repo: packages.repoFullName, baseUrl: connections.baseUrl })
    .from(packages)
    .leftJoin(connections, eq(connections.id, packages.connectionId))
    .where(and(eq(packages.provider, input.provider), eq(packages.repoId, input.repoId)))
    .all();
  if (existing.length === 0) return;
  const newBaseUrl = input.connectionId
    ? db.select({ baseUrl: connections.baseUrl }).from(connections).where(eq(connections.id, input.connectionId)).get()?.baseUrl
    : null;
  refuseSameServer(input, existing, newBaseUrl);
}

/**
 * The decision, given the packages of the same provider and repository id and the new one's
 * connection server (null: added by hand): every store refuses with these words.
 */
export function refuseSameServer(input: RepositoryClaim, existing: SameRepositoryRow[], newBaseUrl: string | null | undefined): void {
  const server = serverOf(input.provider, newBaseUrl);
  const same = existing.find((p) => serverOf(input.provider, p.baseUrl) === server);
  if (!same) return;
  throw new ApiError(
    'conflict',
    `Package "${same.name}" (${same.id}) already receives ${providerName(input.provider)} repository ${same.repo} (id ${input.repoId}). ` +
      `A second package would ingest every tag twice; use that one, or remove it first (hookbench package remove ${same.id}).`,
  );
}
