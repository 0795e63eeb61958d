/**
 * A fake GitHub REST API (Enterprise Server layout: everything under /api/v3) with the
 * hook side of GitHub ("Hookshot"): it delivers signed ping and push events to hook URLs,
 * records every attempt, and redelivers on request. Built to GitHub's documented
 * contract: status codes (201/202/204/401/403/404/422), Link-header pagination (page
 * numbers for tags, cursors for deliveries), permission errors (404 for classic tokens
 * without hook scope or admin role, 403 "Resource not accessible" for fine-grained ones,
 * with X-Accepted-* headers), X-RateLimit-* headers and rate-limit refusals.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { PingEvent, PushEvent, Repository, User } from '@octokit/webhooks-types';
import { githubExample } from '../helpers/payloads';
import { paramsOf, startFakeServer, type FakeAnswer, type FakeRequest } from './server';

export interface FakeGitHubToken {
  login: string;
  /** Classic token scopes; null for a fine-grained token (GitHub sends no X-OAuth-Scopes for those). */
  scopes: string[] | null;
  /** Fine-grained tokens: the repository "Webhooks" permission. */
  webhooks?: 'write' | 'read' | 'none';
  expiresAt?: string;
}

/** GitHub's REST hook; the ping event carries the same object (its types fix last_response to a fresh hook's). */
type HookObject = Omit<PingEvent['hook'], 'last_response'> & {
  test_url: string;
  last_response: { code: number | null; status: string; message: string | null };
};

interface FakeHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url: string; content_type: 'json' | 'form'; secret?: string; insecure_ssl: '0' | '1' };
  created_at: string;
  updated_at: string;
  last_response: HookObject['last_response'];
}

export interface FakeRepo {
  id: number;
  fullName: string;
  admins: string[];
  /** Who may see the repository at all (admins always may); undefined: everybody. */
  readers?: string[];
  tags: { name: string; sha: string }[];
  hooks: FakeHook[];
}

export interface FakeDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number;
  throttled_at: string | null;
  hookId: number;
  repo: string;
  payload: Record<string, unknown>;
  responseBody: string;
}

const USERS = new Map<string, number>();
const userId = (login: string) => {
  if (!USERS.has(login)) USERS.set(login, 1000 + USERS.size);
  return USERS.get(login)!;
};

const notFound = (doc = 'https://docs.github.com/rest'): FakeAnswer => ({ status: 404, body: { message: 'Not Found', documentation_url: doc, status: '404' } });
const sha = () => randomUUID().replace(/-/g, '').padEnd(40, '0').slice(0, 40);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startFakeGitHub(options: { prefix?: string; now?: () => number } = {}) {
  const prefix = options.prefix ?? '/api/v3';
  const now = options.now ?? Date.now;
  const tokens = new Map<string, FakeGitHubToken>();
  const repos = new Map<string, FakeRepo>();
  const deliveries: FakeDelivery[] = [];
  const waiters: { match: (d: FakeDelivery) => boolean; resolve: (d: FakeDelivery) => void }[] = [];
  let nextHookId = 400_000_001;
  let nextDeliveryId = 17_000_000_001;
  const rate = { limit: 5000, remaining: 5000, reset: Math.floor(now() / 1000) + 3600, secondaryRetryAfter: null as number | null };
  const state = { outage: false };

  const server = await startFakeServer(prefix, (req) => handle(req));
  const apiUrl = server.origin + prefix;

  const repoUrl = (r: FakeRepo) => `${apiUrl}/repos/${r.fullName}`;

  function userObject(login: string): User {
    const base = githubExample('push').sender as User;
    return { ...base, login, id: userId(login), url: `${apiUrl}/users/${login}`, html_url: `${server.origin}/${login}` };
  }

  /** GitHub's repository object; its shape comes from GitHub's own example payload. */
  function repoObject(r: FakeRepo, login: string): Repository & { permissions: Record<string, boolean>; network_count: number; subscribers_count: number } {
    const base = githubExample('ping', (p) => p.repository !== undefined).repository as Repository;
    const [owner, name] = r.fullName.split('/') as [string, string];
    const admin = r.admins.includes(login);
    return {
      ...base,
      id: r.id,
      name,
      full_name: r.fullName,
      owner: { ...base.owner, login: owner, id: userId(owner) },
      url: repoUrl(r),
      hooks_url: `${repoUrl(r)}/hooks`,
      tags_url: `${repoUrl(r)}/tags`,
      permissions: { admin, maintain: admin, push: admin, triage: admin, pull: true },
      // The full-repository fields `GET /repos/{owner}/{repo}` carries beyond the webhook shape.
      has_discussions: false,
      network_count: 0,
      subscribers_count: 1,
    };
  }

  function hookObject(r: FakeRepo, h: FakeHook): HookObject {
    const url = `${repoUrl(r)}/hooks/${h.id}`;
    // Typed by @octokit/webhooks-types: a missing or mistyped field fails the type check.
    const core: Omit<PingEvent['hook'], 'last_response'> = {
      type: 'Repository',
      id: h.id,
      name: h.name,
      active: h.active,
      events: h.events as PingEvent['hook']['events'],
      config: { content_type: h.config.content_type, insecure_ssl: h.config.insecure_ssl, url: h.config.url, ...(h.config.secret ? { secret: '********' } : {}) },
      updated_at: h.updated_at,
      created_at: h.created_at,
      url,
      test_url: `${url}/test`,
      ping_url: `${url}/pings`,
      deliveries_url: `${url}/deliveries`,
    };
    return { ...core, test_url: `${url}/test`, last_response: h.last_response };
  }

  function common(token: FakeGitHubToken | undefined, accepted?: string): Record<string, string> {
    return {
      'x-ratelimit-limit': String(rate.limit),
      'x-ratelimit-remaining': String(rate.remaining),
      'x-ratelimit-reset': String(rate.reset),
      'x-ratelimit-used': String(rate.limit - rate.remaining),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      ...(prefix === '/api/v3' ? { 'x-github-enterprise-version': '3.14.0' } : {}),
      ...(token?.scopes ? { 'x-oauth-scopes': token.scopes.join(', '), 'x-accepted-oauth-scopes': accepted ?? '' } : {}),
      ...(token?.expiresAt ? { 'github-authentication-token-expiration': token.expiresAt } : {}),
    };
  }

  // ── Hookshot: delivering to hook URLs ──────────────────────────────────────────
  async function deliver(r: FakeRepo, h: FakeHook, event: string, payload: Record<string, unknown>, guid: string = randomUUID(), redelivery = false): Promise<FakeDelivery> {
    const started = now();
    const body = h.config.content_type === 'json' ? JSON.stringify(payload) : 'payload=' + encodeURIComponent(JSON.stringify(payload));
    let status_code = 502;
    let status = 'failed to connect';
    let responseBody = '';
    if (!state.outage) {
      const headers: Record<string, string> = {
        'content-type': h.config.content_type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
        'user-agent': 'GitHub-Hookshot/fake01',
        'x-github-event': event,
        'x-github-delivery': guid,
        'x-github-hook-id': String(h.id),
        'x-github-hook-installation-target-type': 'repository',
        'x-github-hook-installation-target-id': String(r.id),
      };
      if (h.config.secret) {
        headers['x-hub-signature'] = 'sha1=' + createHmac('sha1', h.config.secret).update(body).digest('hex');
        headers['x-hub-signature-256'] = 'sha256=' + createHmac('sha256', h.config.secret).update(body).digest('hex');
      }
      try {
        const res = await fetch(h.config.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
        status_code = res.status;
        responseBody = await res.text();
        status = res.ok ? 'OK' : `Invalid HTTP Response: ${res.status}`;
      } catch {
        // unreachable: stays "failed to connect"
      }
    }
    h.last_response = { code: status_code, status: status_code >= 200 && status_code < 300 ? 'active' : 'failed', message: status };
    const d: FakeDelivery = {
      id: nextDeliveryId++,
      guid,
      delivered_at: iso(started),
      redelivery,
      duration: Math.max(0.01, (now() - started) / 1000),
      status,
      status_code,
      event,
      action: typeof payload.action === 'string' ? payload.action : null,
      installation_id: null,
      repository_id: r.id,
      throttled_at: null,
      hookId: h.id,
      repo: r.fullName,
      payload,
      responseBody,
    };
    deliveries.push(d);
    for (const w of waiters.filter((w) => w.match(d))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(d);
    }
    return d;
  }

  function pingPayload(r: FakeRepo, h: FakeHook, login: string): PingEvent {
    return {
      zen: 'Keep it logically awesome.',
      hook_id: h.id,
      hook: hookObject(r, h) as PingEvent['hook'],
      repository: repoObject(r, login),
      sender: userObject(login),
    };
  }

  function tagPushPayload(r: FakeRepo, tag: string, commit: string, login: string): PushEvent {
    const p = githubExample('push', (x) => String(x.ref).startsWith('refs/tags/') && x.deleted === false) as unknown as PushEvent;
    return {
      ...p,
      ref: `refs/tags/${tag}`,
      before: '0'.repeat(40),
      after: commit,
      created: true,
      deleted: false,
      head_commit: p.head_commit ? { ...p.head_commit, id: commit } : null,
      repository: { ...p.repository, id: r.id, full_name: r.fullName, name: r.fullName.split('/')[1]! },
      sender: userObject(login),
    };
  }

  // ── REST ────────────────────────────────────────────────────────────────────────
  function authenticate(req: FakeRequest): FakeGitHubToken | FakeAnswer {
    const header = req.headers.authorization ?? '';
    const value = header.replace(/^(Bearer|token)\s+/i, '');
    if (!value) return { status: 401, body: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    const token = tokens.get(value);
    if (!token) return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    return token;
  }

  type HookAccess = 'read' | 'write' | 'admin';
  function hookAccess(token: FakeGitHubToken, r: FakeRepo, need: HookAccess): FakeAnswer | null {
    const accepted = need === 'admin' ? 'admin:repo_hook, repo' : need === 'write' ? 'admin:repo_hook, repo, write:repo_hook' : 'admin:repo_hook, read:repo_hook, repo, write:repo_hook';
    if (token.scopes === null) {
      const perm = token.webhooks ?? 'none';
      const ok = r.admins.includes(token.login) && (perm === 'write' || (perm === 'read' && need === 'read'));
      return ok
        ? null
        : {
            status: 403,
            headers: { ...common(token), 'x-accepted-github-permissions': `repository_hooks=${need === 'read' ? 'read' : 'write'}` },
            body: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest/repos/webhooks', status: '403' },
          };
    }
    const s = token.scopes;
    const scoped =
      s.includes('repo') || s.includes('admin:repo_hook') || (need !== 'admin' && s.includes('write:repo_hook')) || (need === 'read' && s.includes('read:repo_hook'));
    if (scoped && r.admins.includes(token.login)) return null;
    return { ...notFound('https://docs.github.com/rest/repos/webhooks'), headers: common(token, accepted) };
  }

  const visible = (token: FakeGitHubToken, r: FakeRepo) => r.admins.includes(token.login) || r.readers === undefined || r.readers.includes(token.login);

  function page<T>(req: FakeRequest, items: T[], path: string, token: FakeGitHubToken): FakeAnswer {
    const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
    const n = Number(req.query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => `<${apiUrl}${path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = [...(n < last ? [link(n + 1, 'next'), link(last, 'last')] : []), ...(n > 1 ? [link(1, 'first'), link(n - 1, 'prev')] : [])];
    return { status: 200, headers: { ...common(token), ...(links.length ? { link: links.join(', ') } : {}) }, body: items.slice((n - 1) * perPage, n * perPage) };
  }

  const json = (token: FakeGitHubToken, status: number, body?: unknown, headers: Record<string, string> = {}): FakeAnswer => ({ status, headers: { ...common(token), ...headers }, ...(body !== undefined ? { body } : {}) });

  async function handle(req: FakeRequest): Promise<FakeAnswer> {
    const auth = authenticate(req);
    if ('status' in auth) return { ...auth, headers: common(undefined) };
    const token = auth;
    if (rate.secondaryRetryAfter !== null) {
      return json(token, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, { 'retry-after': String(rate.secondaryRetryAfter) });
    }
    if (rate.remaining <= 0) {
      return json(token, 403, { message: `API rate limit exceeded for user ID ${userId(token.login)}.`, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' });
    }
    rate.remaining--;
    const { method, path } = req;

    if (method === 'GET' && path === '/user') {
      // The public-user fields of `GET /user`, beyond the webhook "sender" shape.
      const profile = { name: token.login, email: null, bio: null, blog: '', company: null, location: null, hireable: null, followers: 0, following: 0, public_gists: 0, public_repos: 1, created_at: '2020-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
      return json(token, 200, { ...userObject(token.login), ...profile });
    }

    const repoMatch = paramsOf(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/, path);
    if (!repoMatch) return notFound();
    const [owner, name] = repoMatch as [string, string];
    const r = repos.get(`${owner}/${name}`.toLowerCase());
    if (!r || !visible(token, r)) return { ...notFound('https://docs.github.com/rest/repos/repos#get-a-repository'), headers: common(token) };
    const sub = path.split('/').slice(4).join('/');

    if (method === 'GET' && sub === '') return json(token, 200, repoObject(r, token.login));
    if (method === 'GET' && sub === 'tags') return page(req, [...r.tags].reverse().map((t) => ({ name: t.name, commit: { sha: t.sha, url: `${repoUrl(r)}/commits/${t.sha}` }, zipball_url: `${repoUrl(r)}/zipball/refs/tags/${t.name}`, tarball_url: `${repoUrl(r)}/tarball/refs/tags/${t.name}`, node_id: 'MDM6UmVmcmVm' })), path, token);

    if (sub === 'hooks' && method === 'GET') {
      const denied = hookAccess(token, r, 'read');
      return denied ?? page(req, r.hooks.map((h) => hookObject(r, h)), path, token);
    }
    if (sub === 'hooks' && method === 'POST') {
      const denied = hookAccess(token, r, 'write');
      if (denied) return denied;
      const b = (req.body ?? {}) as { name?: unknown; active?: unknown; events?: unknown; config?: Record<string, unknown> };
      const invalid = (message: string, field?: string) =>
        json(token, 422, { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', ...(field ? { field } : {}), message }], documentation_url: 'https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook', status: '422' });
      if (b.name !== undefined && b.name !== 'web') return invalid('Name must be "web"', 'name');
      const config = b.config ?? {};
      if (typeof config.url !== 'string' || !/^https?:\/\//.test(config.url)) return invalid('Config must contain a URL for webhooks', 'config');
      if (b.events !== undefined && (!Array.isArray(b.events) || b.events.some((e) => typeof e !== 'string'))) return invalid('Events must be a list of event names', 'events');
      if (r.hooks.some((h) => h.config.url === config.url)) return invalid('Hook already exists on this repository');
      const at = iso(now());
      const h: FakeHook = {
        id: nextHookId++,
        name: 'web',
        active: b.active !== false,
        events: (b.events as string[] | undefined) ?? ['push'],
        config: {
          url: config.url,
          content_type: config.content_type === 'json' ? 'json' : 'form',
          insecure_ssl: config.insecure_ssl === '1' ? '1' : '0',
          ...(typeof config.secret === 'string' && config.secret ? { secret: config.secret } : {}),
        },
        created_at: at,
        updated_at: at,
        last_response: { code: null, status: 'unused', message: null },
      };
      r.hooks.push(h);
      // GitHub pings every new hook right after creating it.
      setImmediate(() => void deliver(r, h, 'ping', pingPayload(r, h, token.login) as unknown as Record<string, unknown>));
      return json(token, 201, hookObject(r, h), { location: `${repoUrl(r)}/hooks/${h.id}` });
    }

    const hookMatch = paramsOf(/^hooks\/(\d+)(?:\/(.*))?$/, sub);
    if (hookMatch) {
      const [hookId, tail = ''] = hookMatch as [string, string | undefined];
      const need: HookAccess = method === 'DELETE' ? 'admin' : method === 'GET' ? 'read' : 'write';
      const denied = hookAccess(token, r, need);
      if (denied) return denied;
      const h = r.hooks.find((x) => x.id === Number(hookId));
      if (!h) return { ...notFound('https://docs.github.com/rest/repos/webhooks'), headers: common(token) };
      if (tail === '' && method === 'GET') return json(token, 200, hookObject(r, h));
      if (tail === '' && method === 'DELETE') {
        r.hooks.splice(r.hooks.indexOf(h), 1);
        return json(token, 204);
      }
      // "Update a webhook configuration for a repository": the fields given change, the others (the secret too) stay.
      if (tail === 'config' && (method === 'GET' || method === 'PATCH')) {
        if (method === 'PATCH') {
          const c = (req.body ?? {}) as Record<string, unknown>;
          if (c.url !== undefined && (typeof c.url !== 'string' || !/^https?:\/\//.test(c.url))) {
            return json(token, 422, { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', field: 'url', message: 'url is not a valid URL' }], documentation_url: 'https://docs.github.com/rest/repos/webhooks#update-a-webhook-configuration-for-a-repository', status: '422' });
          }
          if (typeof c.url === 'string') h.config.url = c.url;
          if (c.content_type === 'json' || c.content_type === 'form') h.config.content_type = c.content_type;
          if (c.insecure_ssl === '0' || c.insecure_ssl === '1') h.config.insecure_ssl = c.insecure_ssl;
          if (typeof c.secret === 'string') h.config.secret = c.secret;
          h.updated_at = iso(now());
        }
        return json(token, 200, hookObject(r, h).config);
      }
      if (tail === 'pings' && method === 'POST') {
        setImmediate(() => void deliver(r, h, 'ping', pingPayload(r, h, token.login) as unknown as Record<string, unknown>));
        return json(token, 204);
      }
      if (tail === 'deliveries' && method === 'GET') {
        const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
        const cursor = req.query.get('cursor');
        const before = cursor ? Number(cursor.replace(/^v1_/, '')) : Number.POSITIVE_INFINITY;
        const all = deliveries.filter((d) => d.hookId === h.id && d.id < before).sort((a, b) => b.id - a.id);
        const items = all.slice(0, perPage);
        const more = all.length > perPage;
        const link = more ? `<${apiUrl}${path}?per_page=${perPage}&cursor=v1_${items.at(-1)!.id}>; rel="next"` : null;
        return json(token, 200, items.map(({ hookId: _h, repo: _r, payload: _p, responseBody: _b, ...d }) => d), link ? { link } : {});
      }
      const deliveryMatch = paramsOf(/^deliveries\/(\d+)(\/attempts)?$/, tail);
      if (deliveryMatch) {
        const d = deliveries.find((x) => x.hookId === h.id && x.id === Number(deliveryMatch[0]));
        if (!d) return { ...notFound(), headers: common(token) };
        if (method === 'GET' && !deliveryMatch[1]) {
          const { hookId: _h, repo: _r, payload, responseBody, ...item } = d;
          return json(token, 200, { ...item, url: h.config.url, request: { headers: { 'X-GitHub-Event': d.event }, payload }, response: { headers: {}, payload: responseBody } });
        }
        if (method === 'POST' && deliveryMatch[1]) {
          if (now() - Date.parse(d.delivered_at) > 3 * 86_400_000) return json(token, 422, {
              message: 'Validation Failed',
              errors: [{ resource: 'HookDelivery', code: 'custom', message: 'Delivery is too old to be redelivered' }],
              documentation_url: 'https://docs.github.com/rest/repos/webhooks#redeliver-a-delivery-for-a-repository-webhook',
            });
          setImmediate(() => void deliver(r, h, d.event, d.payload, d.guid, true));
          return json(token, 202, {});
        }
      }
    }
    return { ...notFound(), headers: common(token) };
  }

  return {
    url: server.origin,
    apiUrl,
    log: server.log,
    failNext: server.failNext,
    hold: server.hold,
    close: server.close,
    rate,
    state,
    deliveries,
    addToken(value: string, token: FakeGitHubToken): void {
      tokens.set(value, token);
    },
    addRepo(fullName: string, spec: { id: number; admins: string[]; readers?: string[] }): FakeRepo {
      const repo: FakeRepo = { ...spec, fullName, tags: [], hooks: [] };
      repos.set(fullName.toLowerCase(), repo);
      return repo;
    },
    repo(fullName: string): FakeRepo {
      return repos.get(fullName.toLowerCase())!;
    },
    /** A `git push` of these tags: like GitHub, no push events at all when more than three are pushed at once. */
    async pushTags(fullName: string, names: string[], pusher = 'octocat'): Promise<FakeDelivery[]> {
      const r = repos.get(fullName.toLowerCase())!;
      const pushed = names.map((name) => ({ name, sha: sha() }));
      r.tags.push(...pushed);
      if (pushed.length > 3) return [];
      const sent: FakeDelivery[] = [];
      for (const t of pushed) {
        for (const h of r.hooks.filter((x) => x.active && (x.events.includes('push') || x.events.includes('*')))) {
          sent.push(await deliver(r, h, 'push', tagPushPayload(r, t.name, t.sha, pusher) as unknown as Record<string, unknown>));
        }
      }
      return sent;
    },
    /** Moves a delivery's attempts back in time (past GitHub's redelivery window). */
    age(guid: string, ms: number): void {
      for (const d of deliveries.filter((x) => x.guid === guid)) d.delivered_at = iso(Date.parse(d.delivered_at) - ms);
    },
    /** Resolves with the first (future or past) delivery attempt that matches. */
    waitForDelivery(match: (d: FakeDelivery) => boolean): Promise<FakeDelivery> {
      const seen = deliveries.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    hookObject,
    repoObject,
    userObject,
  };
}

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;
