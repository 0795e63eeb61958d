import type { Provider, ProviderDelivery } from '../../../shared/types';
import type { ApiClient, ApiTarget } from './http';
import { githubApi } from './github';
import { gitlabApi } from './gitlab';

export interface TokenInfo {
  login: string;
  accountId: string | null;
  /** null when the provider does not say (GitHub fine-grained tokens). */
  scopes: string[] | null;
  expiresAt: number | null;
  serverVersion: string | null;
}

export interface RepoInfo {
  id: string;
  fullName: string;
  /** Whether the token's user may manage hooks there; null when the provider does not say. */
  canAdmin: boolean | null;
}

/** GitHub addresses a repository by its full name, GitLab a project by its id. */
export interface RepoRef {
  fullName: string;
  id: string;
}

export interface UpstreamHook {
  id: string;
  url: string | null;
  /** false when the hook is switched off upstream (by a person, or by the provider after failures). */
  active: boolean;
  disabledReason: string | null;
  /** The answer to the provider's last delivery, when it says. */
  lastResponse: { code: number | null; status: string | null; message: string | null } | null;
}

/** One delivery as the provider records it (the shared view without Hookbench's copy), plus its payload when listed. */
export type RawDelivery = Omit<ProviderDelivery, 'hookbench'> & {
  /** The request's payload, when the list carries it (GitLab). */
  payload?: Record<string, unknown> | null;
};

/** What the credential lacks when a hook call is refused, and how to fix it. */
export interface HookPermissionContext {
  scopes: string[] | null;
  login: string;
}

export interface ProviderApi {
  provider: Provider;
  whoami(): Promise<TokenInfo>;
  repository(fullName: string): Promise<RepoInfo>;
  createHook(repo: RepoRef, hook: { url: string; secret: string; signingToken: string }, who: HookPermissionContext): Promise<{ id: string }>;
  /** 'gone' when the provider has no such hook (already deleted). */
  deleteHook(repo: RepoRef, hookId: string, who: HookPermissionContext): Promise<'deleted' | 'gone'>;
  /**
   * Points an existing hook at a new URL. The secret is sent again: GitLab forgets a hook's
   * token when it is edited without one. 'gone' when the provider has no such hook.
   */
  updateHookUrl(repo: RepoRef, hookId: string, hook: { url: string; secret: string; signingToken: string }, who: HookPermissionContext): Promise<'updated' | 'gone'>;
  /** null when the provider has no such hook (or will not show it to this token). */
  getHook(repo: RepoRef, hookId: string): Promise<UpstreamHook | null>;
  tags(repo: RepoRef): Promise<{ name: string; sha: string | null }[]>;
  /** The provider's own record of deliveries, a test delivery, and redelivery on request. */
  history?: {
    ping(repo: RepoRef, hookId: string): Promise<void>;
    deliveries(repo: RepoRef, hookId: string, page: { perPage: number; cursor?: string | undefined }): Promise<{ items: RawDelivery[]; nextCursor: string | null }>;
    /** The request as delivered: its payload tells which ref a push was for. */
    payload(repo: RepoRef, hookId: string, deliveryId: string): Promise<Record<string, unknown> | null>;
    redeliver(repo: RepoRef, hookId: string, deliveryId: string): Promise<void>;
  };
}

export function providerApi(client: ApiClient, target: ApiTarget): ProviderApi {
  return target.provider === 'github' ? githubApi(client, target) : gitlabApi(client, target);
}
