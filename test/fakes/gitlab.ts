/**
 * A fake GitLab REST API (/api/v4), built to GitLab's documented contract: PRIVATE-TOKEN
 * auth (401 {"message":"401 Unauthorized"}), personal_access_tokens/self for scopes,
 * insufficient_scope 403s for read-only tokens, "403 Forbidden" below Maintainer,
 * "404 Project Not Found" for projects a user cannot see, page-number pagination with
 * Link and X-Next-Page/X-Total headers, RateLimit-* headers and 429 + Retry-After.
 * Tag pushes are delivered to project hooks with X-Gitlab-Token and, when the hook has a
 * signing token and the server supports it, Standard-Webhooks signature headers. Every
 * delivery is kept as a webhook event (GET /projects/:id/hooks/:hook_id/events, GitLab 17.3+:
 * request headers with the token redacted, request_data, response_status as a string,
 * execution_duration in seconds, no timestamp), which can be resent (POST …/events/:id/resend,
 * 17.4+); POST …/test/:trigger (16.11+) sends a sample event. Servers older than a feature
 * answer 404 there, as GitLab does for routes it does not have.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { gitlabTagPush } from '../helpers/payloads';
import { paramsOf, startFakeServer, type FakeAnswer, type FakeRequest } from './server';

export interface FakeGitLabToken {
  username: string;
  scopes: string[];
  /** Older servers (and some token kinds) have no /personal_access_tokens/self. */
  selfEndpoint?: boolean;
  expiresAt?: string;
}

interface FakeProjectHook {
  id: number;
  url: string;
  token?: string;
  signingToken?: string;
  push_events: boolean;
  tag_push_events: boolean;
  enable_ssl_verification: boolean;
  alert_status: 'executable' | 'disabled' | 'temporarily_disabled';
  disabled_until: string | null;
  created_at: string;
}

export interface FakeProject {
  id: number;
  path: string;
  /** username → access level (30 Developer, 40 Maintainer, 50 Owner). */
  members: Record<string, number>;
  tags: { name: string; sha: string }[];
  hooks: FakeProjectHook[];
}

export interface FakeGitLabDelivery {
  /** The webhook event id GitLab keeps for it. */
  id: number;
  hookId: number;
  status: number | null;
  headers: Record<string, string>;
  trigger: 'push_hooks' | 'tag_push_hooks';
  payload: Record<string, unknown>;
  responseHeaders: Record<string, string>;
  responseBody: string;
  durationS: number;
}

/** GitLab's header names as it sends them. */
const TITLE_CASE: Record<string, string> = {
  'content-type': 'Content-Type',
  'user-agent': 'User-Agent',
  'idempotency-key': 'Idempotency-Key',
  'x-gitlab-event': 'X-Gitlab-Event',
  'x-gitlab-webhook-uuid': 'X-Gitlab-Webhook-UUID',
  'x-gitlab-instance': 'X-Gitlab-Instance',
  'x-gitlab-event-uuid': 'X-Gitlab-Event-UUID',
  'x-gitlab-token': 'X-Gitlab-Token',
};

const minor = (v: string) => v.split('.').slice(0, 2).map(Number) as [number, number];
const atLeast = (v: string, major: number, min: number) => {
  const [a, b] = minor(v);
  return a > major || (a === major && b >= min);
};

export async function startFakeGitLab(options: { version?: string; supportsSigning?: boolean } = {}) {
  const version = options.version ?? '17.6.0';
  const tokens = new Map<string, FakeGitLabToken>();
  const projects = new Map<number, FakeProject>();
  const users = new Map<string, number>();
  const deliveries: FakeGitLabDelivery[] = [];
  const state = { outage: false };
  let nextHook = 1;
  let nextEvent = 1;
  const rate = { limit: 2000, remaining: 2000, reset: Math.floor(Date.now() / 1000) + 60 };

  const server = await startFakeServer('/api/v4', (req) => handle(req));
  const apiUrl = `${server.origin}/api/v4`;
  const userId = (name: string) => {
    if (!users.has(name)) users.set(name, 100 + users.size);
    return users.get(name)!;
  };

  const headers = () => ({
    'ratelimit-limit': String(rate.limit),
    'ratelimit-remaining': String(rate.remaining),
    'ratelimit-reset': String(rate.reset),
    'ratelimit-observed': String(rate.limit - rate.remaining),
  });
  const json = (status: number, body?: unknown, extra: Record<string, string> = {}): FakeAnswer => ({ status, headers: { ...headers(), ...extra }, ...(body !== undefined ? { body } : {}) });

  function findProject(ref: string): FakeProject | undefined {
    return /^\d+$/.test(ref) ? projects.get(Number(ref)) : [...projects.values()].find((p) => p.path.toLowerCase() === ref.toLowerCase());
  }

  const hookObject = (p: FakeProject, h: FakeProjectHook) => ({
    id: h.id,
    url: h.url,
    project_id: p.id,
    push_events: h.push_events,
    tag_push_events: h.tag_push_events,
    merge_requests_events: false,
    repository_update_events: false,
    enable_ssl_verification: h.enable_ssl_verification,
    alert_status: h.alert_status,
    disabled_until: h.disabled_until,
    created_at: h.created_at,
  });

  async function handle(req: FakeRequest): Promise<FakeAnswer> {
    const value = (req.headers['private-token'] as string | undefined) ?? (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const token = value ? tokens.get(value) : undefined;
    if (!token) return json(401, { message: '401 Unauthorized' });
    if (rate.remaining <= 0) return json(429, 'Retry later', { 'retry-after': '30' });
    rate.remaining--;
    const write = req.method !== 'GET';
    if (write && !token.scopes.includes('api')) {
      return json(403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' });
    }
    const { path } = req;
    if (req.method === 'GET' && path === '/user') return json(200, { id: userId(token.username), username: token.username, name: token.username, state: 'active', web_url: `${server.origin}/${token.username}` });
    if (req.method === 'GET' && path === '/version') return json(200, { version, revision: 'fake01' });
    if (req.method === 'GET' && path === '/personal_access_tokens/self') {
      if (token.selfEndpoint === false) return json(404, { error: '404 Not Found' });
      return json(200, { id: 7, name: 'hookbench', revoked: false, created_at: '2025-01-01T00:00:00.000Z', scopes: token.scopes, user_id: userId(token.username), last_used_at: null, active: true, expires_at: token.expiresAt ?? null });
    }
    const m = paramsOf(/^\/projects\/([^/]+)(?:\/(.*))?$/, path);
    if (!m) return json(404, { error: '404 Not Found' });
    const [ref, sub = ''] = m as [string, string | undefined];
    const project = findProject(ref);
    const level = project?.members[token.username] ?? 0;
    if (!project || level === 0) return json(404, { message: '404 Project Not Found' });
    if (req.method === 'GET' && sub === '') {
      return json(200, {
        id: project.id,
        name: project.path.split('/').at(-1),
        path: project.path.split('/').at(-1),
        path_with_namespace: project.path,
        web_url: `${server.origin}/${project.path}`,
        permissions: { project_access: { access_level: level, notification_level: 3 }, group_access: null },
      });
    }
    if (req.method === 'GET' && sub === 'repository/tags') {
      const perPage = Math.min(100, Number(req.query.get('per_page') ?? 20));
      const page = Number(req.query.get('page') ?? 1);
      const list = [...project.tags].reverse();
      const pages = Math.max(1, Math.ceil(list.length / perPage));
      const link = (p: number, rel: string) => `<${apiUrl}${path}?page=${p}&per_page=${perPage}>; rel="${rel}"`;
      const links = [...(page < pages ? [link(page + 1, 'next')] : []), link(1, 'first'), link(pages, 'last')];
      return json(
        200,
        list.slice((page - 1) * perPage, page * perPage).map((t) => ({ name: t.name, message: '', target: t.sha, commit: { id: t.sha, short_id: t.sha.slice(0, 8), title: 'Release' }, release: null, protected: false })),
        { link: links.join(', '), 'x-page': String(page), 'x-per-page': String(perPage), 'x-total': String(list.length), 'x-total-pages': String(pages), 'x-next-page': page < pages ? String(page + 1) : '' },
      );
    }
    if (sub === 'hooks' || sub.startsWith('hooks/')) {
      if (level < 40) return json(403, { message: '403 Forbidden' });
      if (req.method === 'GET' && sub === 'hooks') return json(200, project.hooks.map((h) => hookObject(project, h)));
      if (req.method === 'POST' && sub === 'hooks') {
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (typeof b.url !== 'string' || !b.url) return json(400, { error: 'url is missing' });
        if (!/^https?:\/\//.test(b.url)) return json(422, { message: { url: ['is blocked: Only allowed schemes are http, https'] } });
        const h: FakeProjectHook = {
          id: nextHook++,
          url: b.url,
          ...(typeof b.token === 'string' ? { token: b.token } : {}),
          // Servers without signing tokens ignore the field, as GitLab ignores unknown parameters.
          ...(options.supportsSigning && typeof b.signing_token === 'string' ? { signingToken: b.signing_token } : {}),
          push_events: b.push_events !== false,
          tag_push_events: b.tag_push_events === true,
          enable_ssl_verification: b.enable_ssl_verification !== false,
          alert_status: 'executable',
          disabled_until: null,
          created_at: new Date().toISOString(),
        };
        project.hooks.push(h);
        return json(201, hookObject(project, h));
      }
      const hookRoute = paramsOf(/^hooks\/(\d+)(?:\/(.*))?$/, sub);
      const hookId = Number(hookRoute?.[0]);
      const rest = hookRoute?.[1] ?? '';
      const h = project.hooks.find((x) => x.id === hookId);
      if (!h) return json(404, { message: '404 Not found' });
      if (rest !== '') return hookSubroute(req, project, h, rest);
      if (req.method === 'GET') return json(200, hookObject(project, h));
      if (req.method === 'PUT') {
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (typeof b.url !== 'string' || !b.url) return json(400, { error: 'url is missing' });
        if (!/^https?:\/\//.test(b.url)) return json(422, { message: { url: ['is blocked: Only allowed schemes are http, https'] } });
        h.url = b.url;
        // GitLab clears the secret token on an edit that does not send it again.
        if (typeof b.token === 'string' && b.token) h.token = b.token;
        else delete h.token;
        if (options.supportsSigning && typeof b.signing_token === 'string') h.signingToken = b.signing_token;
        if (typeof b.push_events === 'boolean') h.push_events = b.push_events;
        if (typeof b.tag_push_events === 'boolean') h.tag_push_events = b.tag_push_events;
        if (typeof b.enable_ssl_verification === 'boolean') h.enable_ssl_verification = b.enable_ssl_verification;
        return json(200, hookObject(project, h));
      }
      if (req.method === 'DELETE') {
        project.hooks.splice(project.hooks.indexOf(h), 1);
        return json(204);
      }
    }
    return json(404, { error: '404 Not Found' });
  }

  const eventObject = (d: FakeGitLabDelivery, h: FakeProjectHook) => ({
    id: d.id,
    url: h.url,
    trigger: d.trigger,
    request_headers: Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [TITLE_CASE[k] ?? k, k === 'x-gitlab-token' ? '[REDACTED]' : v])),
    request_data: d.payload,
    response_headers: d.responseHeaders,
    response_body: d.responseBody,
    execution_duration: d.durationS,
    response_status: d.status === null ? 'internal error' : String(d.status),
  });

  async function hookSubroute(req: FakeRequest, p: FakeProject, h: FakeProjectHook, rest: string): Promise<FakeAnswer> {
    if (req.method === 'GET' && rest === 'events' && atLeast(version, 17, 3)) {
      const perPage = Math.min(100, Number(req.query.get('per_page') ?? 20));
      const page = Number(req.query.get('page') ?? 1);
      const list = deliveries.filter((d) => d.hookId === h.id).reverse();
      const pages = Math.max(1, Math.ceil(list.length / perPage));
      return json(200, list.slice((page - 1) * perPage, page * perPage).map((d) => eventObject(d, h)), {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(list.length),
        'x-total-pages': String(pages),
        'x-next-page': page < pages ? String(page + 1) : '',
      });
    }
    const resend = paramsOf(/^events\/(\d+)\/resend$/, rest);
    if (req.method === 'POST' && resend && atLeast(version, 17, 4)) {
      const original = deliveries.find((d) => d.hookId === h.id && d.id === Number(resend[0]));
      if (!original) return json(404, { message: '404 Not found' });
      const again = await deliver(h, original.trigger, original.payload, original.headers['idempotency-key']);
      return json(201, { response_status: again.status ?? 'internal error' });
    }
    const test = paramsOf(/^test\/([a-z_]+)$/, rest);
    if (req.method === 'POST' && test && atLeast(version, 16, 11)) {
      if (test[0] === 'tag_push_events') {
        const last = p.tags.at(-1);
        if (!last) return json(422, { message: 'Ensure the project has tags.' });
        await deliver(h, 'tag_push_hooks', tagPayload(p, last.name));
      } else if (test[0] === 'push_events') {
        await deliver(h, 'push_hooks', { ...tagPayload(p, 'unused'), object_kind: 'push', event_name: 'push', ref: 'refs/heads/main' });
      } else {
        return json(400, { error: 'trigger does not have a valid value' });
      }
      return json(201, { message: '201 Created' });
    }
    return json(404, { error: '404 Not Found' });
  }

  function tagPayload(p: FakeProject, tag: string): Record<string, unknown> {
    const payload = gitlabTagPush(p.id, tag);
    (payload.project as Record<string, unknown>).path_with_namespace = p.path;
    return payload;
  }

  async function deliver(
    h: FakeProjectHook,
    trigger: FakeGitLabDelivery['trigger'],
    payload: Record<string, unknown>,
    idempotencyKey: string = randomUUID(),
  ): Promise<FakeGitLabDelivery> {
    const body = JSON.stringify(payload);
    const hdrs: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': `GitLab/${version}`,
      'x-gitlab-event': trigger === 'tag_push_hooks' ? 'Tag Push Hook' : 'Push Hook',
      'x-gitlab-event-uuid': randomUUID(),
      'x-gitlab-webhook-uuid': randomUUID(),
      'x-gitlab-instance': server.origin,
      'idempotency-key': idempotencyKey,
      ...(h.token ? { 'x-gitlab-token': h.token } : {}),
    };
    if (h.signingToken) {
      const ts = String(Math.floor(Date.now() / 1000));
      const key = Buffer.from(h.signingToken.replace(/^whsec_/, ''), 'base64');
      hdrs['webhook-id'] = idempotencyKey;
      hdrs['webhook-timestamp'] = ts;
      hdrs['webhook-signature'] = 'v1,' + createHmac('sha256', key).update(`${idempotencyKey}.${ts}.${body}`).digest('base64');
    }
    const started = performance.now();
    let status: number | null = null;
    let responseHeaders: Record<string, string> = {};
    let responseBody = '';
    if (!state.outage) {
      try {
        const res = await fetch(h.url, { method: 'POST', headers: hdrs, body, redirect: 'manual' });
        status = res.status;
        responseHeaders = Object.fromEntries(res.headers);
        responseBody = await res.text();
      } catch {
        // unreachable: GitLab records "internal error"
      }
    }
    const d: FakeGitLabDelivery = {
      id: nextEvent++,
      hookId: h.id,
      status,
      headers: hdrs,
      trigger,
      payload,
      responseHeaders,
      responseBody,
      durationS: (performance.now() - started) / 1000,
    };
    deliveries.push(d);
    return d;
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
    addToken(value: string, token: FakeGitLabToken): void {
      tokens.set(value, token);
    },
    addProject(path: string, spec: { id: number; members: Record<string, number> }): FakeProject {
      const p: FakeProject = { ...spec, path, tags: [], hooks: [] };
      projects.set(p.id, p);
      return p;
    },
    project(id: number): FakeProject {
      return projects.get(id)!;
    },
    async pushTags(id: number, names: string[]): Promise<FakeGitLabDelivery[]> {
      const p = projects.get(id)!;
      const sent: FakeGitLabDelivery[] = [];
      for (const name of names) {
        p.tags.push({ name, sha: randomUUID().replace(/-/g, '').padEnd(40, 'a').slice(0, 40) });
        for (const h of p.hooks.filter((x) => x.tag_push_events && x.alert_status === 'executable')) sent.push(await deliver(h, 'tag_push_hooks', tagPayload(p, name)));
      }
      return sent;
    },
  };
}

export type FakeGitLab = Awaited<ReturnType<typeof startFakeGitLab>>;
