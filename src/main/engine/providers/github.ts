/**
 * GitHub's REST API (github.com or Enterprise Server under /api/v3), as far as hooks go.
 * Permission facts: classic tokens need admin:repo_hook (or repo) and an admin user;
 * fine-grained tokens need "Webhooks: read and write". GitHub answers 404, not 403,
 * when a classic token may not see a repository's hooks.
 */
import type { ApiResponse, ApiClient, ApiTarget } from './http';
import { messageOf, unexpected, linkTo } from './http';
import type { HookPermissionContext, ProviderApi, RawDelivery, RepoRef, UpstreamHook } from './api';
import { originOf } from './base-url';
import { ProviderError } from './errors';

const HOOK_SCOPES = ['admin:repo_hook', 'repo'];

const repoPath = (fullName: string) => {
  const [owner, ...name] = fullName.split('/');
  return `/repos/${encodeURIComponent(owner!)}/${encodeURIComponent(name.join('/'))}`;
};

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** What the credential lacks for hooks, and how to fix it. Shown to a person as is. */
export function githubHookPermissionGap(res: ApiResponse, who: HookPermissionContext, repo: string, action: 'create' | 'update' | 'delete' | 'ping'): string {
  const accepted = res.headers.get('x-accepted-github-permissions');
  if (who.scopes === null) {
    return (
      `the fine-grained token lacks the repository permission "Webhooks: Read and write" on ${repo}` +
      `${accepted ? ` (GitHub asked for ${accepted})` : ''}. Fix: edit the token under Settings → Developer settings → Fine-grained tokens, ` +
      `grant "Webhooks: Read and write" for ${repo}, and make sure ${who.login} is an admin of it`
    );
  }
  const enough = who.scopes.some((s) => HOOK_SCOPES.includes(s) || (action !== 'delete' && s === 'write:repo_hook'));
  if (!enough) {
    return (
      `the token's scopes (${who.scopes.join(', ') || 'none'}) do not include admin:repo_hook (or repo). ` +
      'Fix: create a classic token with the admin:repo_hook scope (Settings → Developer settings → Personal access tokens)'
    );
  }
  return `${who.login} is not an admin of ${repo}, and managing hooks needs the admin role. Fix: have an owner make ${who.login} an admin, or connect a token of a user who is`;
}

function parseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value.replace(' UTC', 'Z').replace(' ', 'T'));
  return Number.isNaN(ms) ? null : ms;
}

function toHook(body: unknown): UpstreamHook {
  const hook = record(body);
  const config = record(hook.config);
  const last = hook.last_response === undefined || hook.last_response === null ? null : record(hook.last_response);
  return {
    id: String(hook.id),
    url: typeof config.url === 'string' ? config.url : null,
    active: hook.active !== false,
    disabledReason: hook.active === false ? 'The hook is switched off ("Active" is unticked) on GitHub.' : null,
    lastResponse: last
      ? {
          code: typeof last.code === 'number' ? last.code : null,
          status: typeof last.status === 'string' ? last.status : null,
          message: typeof last.message === 'string' ? last.message : null,
        }
      : null,
  };
}

function toDelivery(item: unknown): RawDelivery {
  const d = record(item);
  return {
    id: String(d.id),
    guid: String(d.guid),
    deliveredAt: parseTime(d.delivered_at) ?? 0,
    redelivery: d.redelivery === true,
    event: String(d.event ?? ''),
    action: typeof d.action === 'string' ? d.action : null,
    statusCode: typeof d.status_code === 'number' ? d.status_code : 0,
    status: String(d.status ?? ''),
    durationMs: typeof d.duration === 'number' ? Math.round(d.duration * 1000) : null,
  };
}

export function githubApi(client: ApiClient, target: ApiTarget): ProviderApi {
  const call = (method: string, path: string, options?: Parameters<ApiClient['request']>[3]) => client.request(target, method, path, options);
  const hooksPath = (repo: RepoRef) => `${repoPath(repo.fullName)}/hooks`;

  function refused(res: ApiResponse, who: HookPermissionContext, repo: RepoRef, action: 'create' | 'update' | 'delete' | 'ping'): ProviderError {
    const message = messageOf(res.body);
    return new ProviderError(
      'forbidden',
      `GitHub refused to ${action} the hook on ${repo.fullName} (HTTP ${res.status}${message ? `: ${message}` : ''}): ${githubHookPermissionGap(res, who, repo.fullName, action)}.`,
      res.status,
    );
  }

  return {
    provider: 'github',
    async whoami() {
      const res = await call('GET', '/user');
      if (res.status !== 200) throw unexpected(target, res, 'GET /user');
      const user = record(res.body);
      const scopesHeader = res.headers.get('x-oauth-scopes');
      return {
        login: String(user.login),
        accountId: user.id === undefined ? null : String(user.id),
        // Classic tokens list their scopes (maybe none); fine-grained tokens send no header at all.
        scopes: scopesHeader === null ? null : scopesHeader.split(',').map((s) => s.trim()).filter(Boolean),
        expiresAt: parseTime(res.headers.get('github-authentication-token-expiration')),
        serverVersion: res.headers.get('x-github-enterprise-version'),
      };
    },
    async repository(fullName) {
      const res = await call('GET', repoPath(fullName));
      if (res.status === 404 || res.status === 403) {
        throw new ProviderError(
          'not_found',
          `GitHub has no repository ${fullName} that this token can see (HTTP ${res.status}). Check the spelling (OWNER/NAME), and that the token has access to it (a fine-grained token must list it).`,
          res.status,
        );
      }
      if (res.status !== 200) throw unexpected(target, res, `GET ${repoPath(fullName)}`);
      const repo = record(res.body);
      const permissions = repo.permissions === undefined ? null : record(repo.permissions);
      return { id: String(repo.id), fullName: String(repo.full_name), canAdmin: permissions ? permissions.admin === true : null };
    },
    async createHook(repo, hook, who) {
      const res = await call('POST', hooksPath(repo), {
        body: { name: 'web', active: true, events: ['push'], config: { url: hook.url, content_type: 'json', secret: hook.secret, insecure_ssl: '0' } },
      });
      if (res.status === 201) return { id: String(record(res.body).id) };
      if (res.status === 403 || res.status === 404) throw refused(res, who, repo, 'create');
      if (res.status === 422) {
        const message = messageOf(res.body) ?? 'Validation Failed';
        const hint = /already exists/i.test(message)
          ? ` A hook with this package's URL (${originOf(hook.url)}/hooks/…) is already on ${repo.fullName}; delete it under Settings → Webhooks, then try again.`
          : /public internet|not supported/i.test(message)
            ? ' GitHub only delivers to public addresses: create a tunnel (hookbench tunnel create) or set a public receiver URL, then try again.'
            : '';
        throw new ProviderError('validation', `GitHub refused the hook for ${repo.fullName} (HTTP 422: ${message}).${hint}`, 422);
      }
      throw unexpected(target, res, `POST ${hooksPath(repo)}`);
    },
    async updateHookUrl(repo, hookId, hook, who) {
      // "Update a webhook configuration": only the config; the events and the active flag stay as they are.
      const path = `${hooksPath(repo)}/${encodeURIComponent(hookId)}/config`;
      const res = await call('PATCH', path, { body: { url: hook.url, content_type: 'json', secret: hook.secret, insecure_ssl: '0' } });
      if (res.status === 200) return 'updated';
      if (res.status === 404) return 'gone';
      if (res.status === 403) throw refused(res, who, repo, 'update');
      if (res.status === 422) {
        const message = messageOf(res.body) ?? 'Validation Failed';
        const hint = /public internet|not supported/i.test(message) ? ' GitHub only delivers to public addresses: set a public receiver URL (serve --public-url) or keep a tunnel.' : '';
        throw new ProviderError('validation', `GitHub refused the new URL for the hook on ${repo.fullName} (HTTP 422: ${message}).${hint}`, 422);
      }
      throw unexpected(target, res, `PATCH ${path}`);
    },
    async deleteHook(repo, hookId, who) {
      const res = await call('DELETE', `${hooksPath(repo)}/${encodeURIComponent(hookId)}`);
      if (res.status === 204) return 'deleted';
      if (res.status === 404) return 'gone';
      if (res.status === 403) throw refused(res, who, repo, 'delete');
      throw unexpected(target, res, `DELETE ${hooksPath(repo)}/${hookId}`);
    },
    async getHook(repo, hookId) {
      const res = await call('GET', `${hooksPath(repo)}/${encodeURIComponent(hookId)}`);
      if (res.status === 404) return null;
      if (res.status !== 200) throw unexpected(target, res, `GET ${hooksPath(repo)}/${hookId}`);
      return toHook(res.body);
    },
    async tags(repo) {
      const { items } = await client.paginate<Record<string, unknown>>(target, `${repoPath(repo.fullName)}/tags`, { per_page: 100 }, 'the tags list');
      return items.map((t) => ({ name: String(t.name), sha: typeof record(t.commit).sha === 'string' ? (record(t.commit).sha as string) : null }));
    },
    history: {
      async ping(repo, hookId) {
        const res = await call('POST', `${hooksPath(repo)}/${encodeURIComponent(hookId)}/pings`);
        if (res.status === 204) return;
        if (res.status === 404) {
          throw new ProviderError('not_found', `GitHub has no hook ${hookId} on ${repo.fullName} any more (HTTP 404): it was deleted, or the token lost access to it.`, 404);
        }
        throw unexpected(target, res, 'the ping');
      },
      async deliveries(repo, hookId, page) {
        const res = await call('GET', `${hooksPath(repo)}/${encodeURIComponent(hookId)}/deliveries`, { query: { per_page: page.perPage, cursor: page.cursor } });
        if (res.status !== 200 || !Array.isArray(res.body)) throw unexpected(target, res, 'the deliveries list');
        const next = linkTo(res.headers, 'next');
        return { items: res.body.map(toDelivery), nextCursor: next ? new URL(next).searchParams.get('cursor') : null };
      },
      async payload(repo, hookId, deliveryId) {
        const res = await call('GET', `${hooksPath(repo)}/${encodeURIComponent(hookId)}/deliveries/${encodeURIComponent(deliveryId)}`);
        if (res.status !== 200) throw unexpected(target, res, `delivery ${deliveryId}`);
        const payload = record(record(res.body).request).payload;
        return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
      },
      async redeliver(repo, hookId, deliveryId) {
        const res = await call('POST', `${hooksPath(repo)}/${encodeURIComponent(hookId)}/deliveries/${encodeURIComponent(deliveryId)}/attempts`);
        if (res.status === 202) return;
        throw unexpected(target, res, `the redelivery of ${deliveryId}`);
      },
    },
  };
}
