/**
 * GitLab's REST API (/api/v4 on gitlab.com or self-managed), as far as hooks go.
 * Managing project hooks needs the Maintainer role and a token with the `api` scope.
 * Hooks carry the secret as `token` (sent back in X-Gitlab-Token) and, on servers that
 * know it, a Standard-Webhooks `signing_token`; older servers ignore the field. The
 * delivery history lives in gitlab-history.ts.
 */
import type { ApiResponse, ApiClient, ApiTarget } from './http';
import { messageOf, unexpected } from './http';
import type { HookPermissionContext, ProviderApi, RepoRef } from './api';
import { ProviderError } from './errors';
import { gitlabHistory } from './gitlab-history';

const MAINTAINER = 40;

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const projectPath = (repo: RepoRef) => `/projects/${encodeURIComponent(repo.id)}`;

export function gitlabHookPermissionGap(who: HookPermissionContext, project: string): string {
  if (who.scopes !== null && !who.scopes.includes('api')) {
    return (
      `the token's scopes (${who.scopes.join(', ') || 'none'}) do not include api. ` +
      'Fix: create a personal access token with the api scope (Preferences → Access tokens)'
    );
  }
  return `${who.login} is not a Maintainer (or Owner) of ${project}, and managing hooks needs that role. Fix: have an owner raise ${who.login}'s role to Maintainer, or connect a token of a user who is`;
}

export function gitlabApi(client: ApiClient, target: ApiTarget): ProviderApi {
  const call = (method: string, path: string, options?: Parameters<ApiClient['request']>[3]) => client.request(target, method, path, options);

  function refused(res: ApiResponse, who: HookPermissionContext, repo: RepoRef, action: string): ProviderError {
    const message = messageOf(res.body);
    return new ProviderError(
      'forbidden',
      `GitLab refused to ${action} the hook on ${repo.fullName} (HTTP ${res.status}${message ? `: ${message}` : ''}): ${gitlabHookPermissionGap(who, repo.fullName)}.`,
      res.status,
    );
  }

  /** Optional facts: a token without the rights to read them still works for the rest. */
  async function optional(path: string): Promise<Record<string, unknown> | null> {
    try {
      const res = await call('GET', path);
      return res.status === 200 ? record(res.body) : null;
    } catch (error) {
      if (error instanceof ProviderError && (error.failure === 'unauthorized' || error.failure === 'server')) return null;
      throw error;
    }
  }

  return {
    provider: 'gitlab',
    async whoami() {
      const res = await call('GET', '/user');
      if (res.status !== 200) throw unexpected(target, res, 'GET /user');
      const user = record(res.body);
      const self = await optional('/personal_access_tokens/self');
      const version = await optional('/version');
      const expires = typeof self?.expires_at === 'string' ? Date.parse(`${self.expires_at}T00:00:00Z`) : NaN;
      return {
        login: String(user.username),
        accountId: user.id === undefined ? null : String(user.id),
        scopes: Array.isArray(self?.scopes) ? self.scopes.map(String) : null,
        expiresAt: Number.isNaN(expires) ? null : expires,
        serverVersion: typeof version?.version === 'string' ? version.version : null,
      };
    },
    async repository(fullName) {
      const res = await call('GET', `/projects/${encodeURIComponent(fullName)}`);
      if (res.status === 404 || res.status === 403) {
        throw new ProviderError(
          'not_found',
          `GitLab has no project ${fullName} that this token can see (HTTP ${res.status}). Check the path (GROUP/PROJECT) and that the token's user is a member.`,
          res.status,
        );
      }
      if (res.status !== 200) throw unexpected(target, res, `GET /projects/${fullName}`);
      const project = record(res.body);
      const permissions = project.permissions === undefined ? null : record(project.permissions);
      const level = (v: unknown) => (typeof record(v).access_level === 'number' ? (record(v).access_level as number) : 0);
      return {
        id: String(project.id),
        fullName: String(project.path_with_namespace),
        canAdmin: permissions ? Math.max(level(permissions.project_access), level(permissions.group_access)) >= MAINTAINER : null,
      };
    },
    async createHook(repo, hook, who) {
      const res = await call('POST', `${projectPath(repo)}/hooks`, {
        body: {
          url: hook.url,
          token: hook.secret,
          push_events: false,
          tag_push_events: true,
          enable_ssl_verification: true,
          signing_token: hook.signingToken,
        },
      });
      if (res.status === 201) return { id: String(record(res.body).id) };
      if (res.status === 403 || res.status === 404) throw refused(res, who, repo, 'create');
      if (res.status === 400 || res.status === 422) {
        throw new ProviderError('validation', `GitLab refused the hook for ${repo.fullName} (HTTP ${res.status}: ${messageOf(res.body) ?? 'invalid'}).`, res.status);
      }
      throw unexpected(target, res, `POST ${projectPath(repo)}/hooks`);
    },
    async updateHookUrl(repo, hookId, hook, who) {
      const path = `${projectPath(repo)}/hooks/${encodeURIComponent(hookId)}`;
      // Every setting is sent again: an edit without the token erases it on GitLab.
      const res = await call('PUT', path, {
        body: { url: hook.url, token: hook.secret, signing_token: hook.signingToken, push_events: false, tag_push_events: true, enable_ssl_verification: true },
      });
      if (res.status === 200) return 'updated';
      if (res.status === 404) return 'gone';
      if (res.status === 403) throw refused(res, who, repo, 'update');
      if (res.status === 400 || res.status === 422) {
        throw new ProviderError('validation', `GitLab refused the new URL for the hook on ${repo.fullName} (HTTP ${res.status}: ${messageOf(res.body) ?? 'invalid'}).`, res.status);
      }
      throw unexpected(target, res, `PUT ${path}`);
    },
    async deleteHook(repo, hookId, who) {
      const res = await call('DELETE', `${projectPath(repo)}/hooks/${encodeURIComponent(hookId)}`);
      if (res.status === 204 || res.status === 200) return 'deleted';
      if (res.status === 404) return 'gone';
      if (res.status === 403) throw refused(res, who, repo, 'delete');
      throw unexpected(target, res, `DELETE ${projectPath(repo)}/hooks/${hookId}`);
    },
    async getHook(repo, hookId) {
      const res = await call('GET', `${projectPath(repo)}/hooks/${encodeURIComponent(hookId)}`);
      if (res.status === 404) return null;
      if (res.status !== 200) throw unexpected(target, res, `GET ${projectPath(repo)}/hooks/${hookId}`);
      const hook = record(res.body);
      const alert = typeof hook.alert_status === 'string' ? hook.alert_status : 'executable';
      const until = typeof hook.disabled_until === 'string' ? hook.disabled_until : null;
      return {
        id: String(hook.id),
        url: typeof hook.url === 'string' ? hook.url : null,
        active: alert === 'executable',
        disabledReason:
          alert === 'executable'
            ? null
            : alert === 'temporarily_disabled'
              ? `GitLab disabled the hook after failed deliveries${until ? ` until ${until}` : ''}.`
              : 'GitLab disabled the hook after too many failed deliveries; re-enable it under Settings → Webhooks.',
        lastResponse: null,
      };
    },
    async tags(repo) {
      const { items } = await client.paginate<Record<string, unknown>>(target, `${projectPath(repo)}/repository/tags`, { per_page: 100 }, 'the tags list');
      return items.map((t) => ({ name: String(t.name), sha: typeof record(t.commit).id === 'string' ? (record(t.commit).id as string) : null }));
    },
    history: gitlabHistory(client, target),
  };
}
