/**
 * The fake provider APIs against the providers' documented contracts, so the fakes the
 * other provider tests trust cannot drift. GitHub's published OpenAPI description
 * (@octokit/openapi) is not installed here; where GitHub's own webhook examples and types
 * (@octokit/webhooks-examples, @octokit/webhooks-types) describe the same objects — the hook,
 * the repository, the user, the ping and push payloads — the fake is checked against them
 * (types at compile time in test/fakes/github.ts, shapes at run time below).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { startSink } from '../helpers/sink';
import { fakeGitHub, fakeGitLab } from '../fakes/harness';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const example = (event: string, pick: (p: Record<string, unknown>) => boolean = () => true) => examples.find((e) => e.name === event)!.examples.find(pick)!;

/** Whatever the fake answered: the assertions say what it must be. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every field of GitHub's example is in the fake's object with the same JSON type (a null in either is allowed). */
function sameShape(fake: unknown, real: unknown, path = '$'): string[] {
  if (kind(real) !== 'object') return kind(fake) === kind(real) || fake === null || real === null ? [] : [`${path}: ${kind(fake)} instead of ${kind(real)}`];
  if (kind(fake) !== 'object') return [`${path}: ${kind(fake)} instead of object`];
  const f = fake as Record<string, unknown>;
  return Object.entries(real as Record<string, unknown>).flatMap(([key, value]) => (key in f ? sameShape(f[key], value, `${path}.${key}`) : [`${path}.${key}: missing`]));
}

async function github() {
  const gh = await fakeGitHub();
  gh.addToken('classic', { login: 'octocat', scopes: ['repo'] });
  gh.addToken('noscope', { login: 'octocat', scopes: ['read:user'] });
  gh.addToken('fine', { login: 'octocat', scopes: null, webhooks: 'read' });
  gh.addRepo('octo/widgets', { id: 42, admins: ['octocat'] });
  const call = async (method: string, path: string, token: string | null = 'classic', body?: unknown) => {
    const res = await fetch(gh.apiUrl + path, {
      method,
      headers: { accept: 'application/vnd.github+json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
  };
  return { gh, call };
}

describe('fake GitHub follows GitHub\'s contract', () => {
  it('serves hooks, repositories and users shaped like GitHub\'s own examples', async () => {
    const { gh, call } = await github();
    const sink = await startSink();
    const created = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', active: true, events: ['push'], config: { url: sink.url, content_type: 'json', secret: 's', insecure_ssl: '0' } });
    const pingExample = example('ping', (p) => p.repository !== undefined);
    expect(sameShape(created.body, pingExample.hook)).toEqual([]);
    expect(sameShape((await call('GET', `/repos/octo/widgets/hooks/${created.body.id}`)).body, pingExample.hook)).toEqual([]);
    expect(sameShape((await call('GET', '/repos/octo/widgets')).body, pingExample.repository)).toEqual([]);
    expect(sameShape((await call('GET', '/user')).body, pingExample.sender)).toEqual([]);

    // The ping GitHub sends to a new hook, and a tag push, as delivered.
    await sink.waitFor(1);
    const ping = JSON.parse(sink.received[0]!.body.toString()) as Record<string, unknown>;
    expect(Object.keys(ping).sort()).toEqual(Object.keys(pingExample).sort());
    expect(sameShape(ping, pingExample)).toEqual([]);
    await gh.pushTags('octo/widgets', ['v1.0.0']);
    const push = JSON.parse(sink.received[1]!.body.toString()) as Record<string, unknown>;
    expect(sameShape(push, example('push', (p) => String(p.ref).startsWith('refs/tags/') && p.deleted === false))).toEqual([]);
    expect(sink.received[1]!.header('x-hub-signature-256')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(sink.received[1]!.header('x-github-event')).toBe('push');
  });

  it('answers with GitHub\'s status codes', async () => {
    const { call } = await github();
    const config = { url: 'https://example.test/hook', content_type: 'json', secret: 's', insecure_ssl: '0' };
    const created = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', events: ['push'], config });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/\/repos\/octo\/widgets\/hooks\/\d+$/);
    expect((created.body.config as Record<string, unknown>).secret).toBe('********');
    const dup = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', config });
    expect(dup).toMatchObject({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }] } });
    expect((await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'irc', config: { ...config, url: 'https://x.test' } })).status).toBe(422);
    const id = created.body.id as number;
    expect((await call('POST', `/repos/octo/widgets/hooks/${id}/pings`)).status).toBe(204);
    const del = await call('DELETE', `/repos/octo/widgets/hooks/${id}`);
    expect(del).toMatchObject({ status: 204, body: null });
    expect((await call('DELETE', `/repos/octo/widgets/hooks/${id}`)).status).toBe(404);
    expect((await call('POST', `/repos/octo/widgets/hooks/${id}/pings`)).status).toBe(404);
    expect(await call('GET', '/user', null)).toMatchObject({ status: 401, body: { message: 'Requires authentication' } });
    expect(await call('GET', '/user', 'nope')).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
    expect((await call('GET', '/repos/octo/missing')).status).toBe(404);
  });

  it('refuses hook calls the way GitHub does for each kind of token', async () => {
    const { call } = await github();
    const body = { name: 'web', config: { url: 'https://example.test/h', content_type: 'json' } };
    const classic = await call('POST', '/repos/octo/widgets/hooks', 'noscope', body);
    expect(classic).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(classic.headers.get('x-oauth-scopes')).toBe('read:user');
    expect(classic.headers.get('x-accepted-oauth-scopes')).toBe('admin:repo_hook, repo, write:repo_hook');
    const fine = await call('POST', '/repos/octo/widgets/hooks', 'fine', body);
    expect(fine).toMatchObject({ status: 403, body: { message: 'Resource not accessible by personal access token' } });
    expect(fine.headers.get('x-accepted-github-permissions')).toBe('repository_hooks=write');
    expect(fine.headers.get('x-oauth-scopes')).toBeNull();
    expect((await call('GET', '/repos/octo/widgets/hooks', 'fine')).status).toBe(200);
  });

  it('paginates with Link headers: page numbers for tags, cursors for deliveries', async () => {
    const { gh, call } = await github();
    gh.state.outage = true;
    const hook = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', config: { url: 'https://example.test/h', content_type: 'json' } });
    await gh.waitForDelivery((d) => d.event === 'ping');
    await gh.pushTags('octo/widgets', ['v1', 'v2', 'v3']);
    await gh.pushTags('octo/widgets', ['v4', 'v5']);
    const page1 = await call('GET', '/repos/octo/widgets/tags?per_page=2');
    expect(page1.body.map((t: { name: string }) => t.name)).toEqual(['v5', 'v4']);
    expect(page1.headers.get('link')).toBe(
      `<${gh.apiUrl}/repos/octo/widgets/tags?per_page=2&page=2>; rel="next", <${gh.apiUrl}/repos/octo/widgets/tags?per_page=2&page=3>; rel="last"`,
    );
    const page3 = await call('GET', '/repos/octo/widgets/tags?per_page=2&page=3');
    expect(page3.headers.get('link')).not.toContain('rel="next"');
    const deliveriesPath = `/repos/octo/widgets/hooks/${hook.body.id}/deliveries`;
    const d1 = await call('GET', `${deliveriesPath}?per_page=4`);
    expect(d1.body).toHaveLength(4);
    expect(Object.keys(d1.body[0]).sort()).toEqual(['action', 'delivered_at', 'duration', 'event', 'guid', 'id', 'installation_id', 'redelivery', 'repository_id', 'status', 'status_code', 'throttled_at']);
    const next = /<([^>]+)>; rel="next"/.exec(d1.headers.get('link') ?? '')![1]!;
    expect(new URL(next).searchParams.get('cursor')).toMatch(/^v1_\d+$/);
    const d2 = await call('GET', next.slice(gh.apiUrl.length));
    expect(d2.body).toHaveLength(2);
    expect(d2.headers.get('link')).toBeNull();
    expect((await call('POST', `${deliveriesPath}/${d2.body[0].id}/attempts`)).status).toBe(202);
  });

  it('sends X-RateLimit headers, and refuses with 403 when the quota is spent', async () => {
    const { gh, call } = await github();
    const ok = await call('GET', '/user');
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used', 'x-ratelimit-resource']) expect(ok.headers.get(h)).not.toBeNull();
    gh.rate.remaining = 0;
    const spent = await call('GET', '/user');
    expect(spent.status).toBe(403);
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(spent.body.message).toMatch(/^API rate limit exceeded/);
  });
});

describe('fake GitLab follows GitLab\'s contract', () => {
  it('answers with GitLab\'s status codes, pagination headers and rate-limit headers', async () => {
    const gl = await fakeGitLab();
    gl.addToken('api', { username: 'maint', scopes: ['api'] });
    gl.addToken('ro', { username: 'maint', scopes: ['read_api'] });
    gl.addProject('g/p', { id: 7, members: { maint: 40 } });
    const call = async (method: string, path: string, token: string | null = 'api', body?: unknown) => {
      const res = await fetch(gl.apiUrl + path, { method, headers: { ...(token ? { 'private-token': token } : {}), 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
    };
    expect(await call('GET', '/user', null)).toMatchObject({ status: 401, body: { message: '401 Unauthorized' } });
    expect((await call('GET', '/projects/g%2Fp')).body).toMatchObject({ id: 7, path_with_namespace: 'g/p', permissions: { project_access: { access_level: 40 } } });
    expect(await call('GET', '/projects/g%2Fnope')).toMatchObject({ status: 404, body: { message: '404 Project Not Found' } });
    expect(await call('POST', '/projects/7/hooks', 'ro', { url: 'https://x.test' })).toMatchObject({ status: 403, body: { error: 'insufficient_scope', scope: 'api' } });
    expect(await call('POST', '/projects/7/hooks', 'api', {})).toMatchObject({ status: 400, body: { error: 'url is missing' } });
    const hook = await call('POST', '/projects/7/hooks', 'api', { url: 'https://x.test', token: 't', tag_push_events: true, push_events: false });
    expect(hook).toMatchObject({ status: 201, body: { url: 'https://x.test', tag_push_events: true, push_events: false, alert_status: 'executable' } });
    expect(hook.body).not.toHaveProperty('token');
    expect((await call('DELETE', `/projects/7/hooks/${hook.body.id}`)).status).toBe(204);
    expect(await call('DELETE', `/projects/7/hooks/${hook.body.id}`)).toMatchObject({ status: 404, body: { message: '404 Not found' } });

    for (let i = 0; i < 5; i++) gl.project(7).tags.push({ name: `v${i}`, sha: 'a'.repeat(40) });
    const tags = await call('GET', '/projects/7/repository/tags?per_page=2');
    expect(tags.headers.get('x-total')).toBe('5');
    expect(tags.headers.get('x-next-page')).toBe('2');
    expect(tags.headers.get('link')).toContain('rel="next"');
    expect(tags.body[0]).toMatchObject({ name: 'v4', commit: { id: 'a'.repeat(40) } });
    expect(tags.headers.get('ratelimit-remaining')).not.toBeNull();
    gl.rate.remaining = 0;
    const limited = await call('GET', '/user');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
  });
});
