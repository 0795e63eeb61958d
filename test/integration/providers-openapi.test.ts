/**
 * The fake GitHub API against GitHub's published OpenAPI description (@octokit/openapi):
 * every route the fake serves is called over HTTP, and the answer must carry a status the
 * operation documents and, where the description has a JSON schema for that status, a body
 * that validates against it. A drift in the fake (or in GitHub's description) fails here
 * with the field ajv complains about.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSink } from '../helpers/sink';
import { fakeGitHub } from '../fakes/harness';

const require = createRequire(import.meta.url);

type Schema = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

/** OpenAPI 3.0 `nullable: true` as JSON Schema: null joins the type (or the enum, or an anyOf). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) if (key !== 'nullable') out[key] = toJsonSchema(value);
  if ((node as Schema).nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  if (Array.isArray(out.type)) return out.type.includes('null') ? out : { ...out, type: [...out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

let doc: OpenApi;
let ajv: Ajv;
const compiled = new Map<string, ValidateFunction>();

beforeAll(() => {
  doc = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.deref.json'), 'utf8')) as OpenApi;
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
});

/** The answer is one the OpenAPI operation documents for this path and method. */
function conforms(method: string, template: string, res: { status: number; body: unknown }): void {
  const op = doc.paths[template]?.[method.toLowerCase()];
  expect(op, `${method} ${template} is not in GitHub's OpenAPI description`).toBeDefined();
  const status = String(res.status);
  const key = [status, `${status[0]}XX`, 'default'].find((k) => k in op!.responses);
  expect.soft(key, `${method} ${template} answered ${status}; documented: ${Object.keys(op!.responses).join(', ')}`).toBeDefined();
  const schema = op!.responses[key!]!.content?.['application/json']?.schema;
  if (!schema) return;
  const id = `${method} ${template} ${key}`;
  let validate = compiled.get(id);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema) as Schema);
    compiled.set(id, validate);
  }
  const ok = validate(res.body);
  expect.soft(ok, `${id}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`).toBe(true);
}

async function github() {
  const gh = await fakeGitHub();
  gh.addToken('classic', { login: 'octocat', scopes: ['repo'] });
  gh.addToken('fine', { login: 'octocat', scopes: null, webhooks: 'read' });
  gh.addRepo('octo/widgets', { id: 42, admins: ['octocat'] });
  const call = async (method: string, path: string, token: string | null = 'classic', body?: unknown) => {
    const res = await fetch(gh.apiUrl + path, {
      method,
      headers: { accept: 'application/vnd.github+json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as unknown };
  };
  return { gh, call };
}

const R = '/repos/{owner}/{repo}';
const H = `${R}/hooks/{hook_id}`;

describe("fake GitHub follows GitHub's OpenAPI description", () => {
  it('answers every route it serves with a documented status and a body matching the schema', async () => {
    const { gh, call } = await github();
    const sink = await startSink();

    conforms('GET', '/user', await call('GET', '/user'));
    conforms('GET', R, await call('GET', '/repos/octo/widgets'));

    await gh.pushTags('octo/widgets', ['v1.0.0', 'v1.1.0']);
    const tags = await call('GET', '/repos/octo/widgets/tags');
    expect(tags.status).toBe(200);
    expect(tags.body).toHaveLength(2);
    conforms('GET', `${R}/tags`, tags);

    const created = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', active: true, events: ['push'], config: { url: sink.url, content_type: 'json', secret: 's', insecure_ssl: '0' } });
    expect(created.status).toBe(201);
    conforms('POST', `${R}/hooks`, created);
    const hookId = (created.body as { id: number }).id;
    const hook = `/repos/octo/widgets/hooks/${hookId}`;

    const listed = await call('GET', '/repos/octo/widgets/hooks');
    expect(listed.body).toHaveLength(1);
    conforms('GET', `${R}/hooks`, listed);
    conforms('GET', H, await call('GET', hook));

    // The ping GitHub sends to every new hook, then one asked for.
    const first = await gh.waitForDelivery((d) => d.hookId === hookId && d.event === 'ping');
    const pinged = await call('POST', `${hook}/pings`);
    expect(pinged.status).toBe(204);
    conforms('POST', `${H}/pings`, pinged);
    await gh.waitForDelivery((d) => d.hookId === hookId && d.id !== first.id);

    const deliveries = await call('GET', `${hook}/deliveries`);
    expect(deliveries.body).toHaveLength(2);
    conforms('GET', `${H}/deliveries`, deliveries);
    conforms('GET', `${H}/deliveries/{delivery_id}`, await call('GET', `${hook}/deliveries/${first.id}`));

    const redelivered = await call('POST', `${hook}/deliveries/${first.id}/attempts`);
    expect(redelivered.status).toBe(202);
    conforms('POST', `${H}/deliveries/{delivery_id}/attempts`, redelivered);
    await gh.waitForDelivery((d) => d.hookId === hookId && d.redelivery);

    // Pointing the hook elsewhere changes only its config; the secret stays set (shown masked).
    const patched = await call('PATCH', `${hook}/config`, 'classic', { url: `${sink.url}/moved` });
    expect(patched.body).toMatchObject({ url: `${sink.url}/moved`, secret: '********', content_type: 'json' });
    conforms('PATCH', `${H}/config`, patched);
    conforms('GET', `${H}/config`, await call('GET', `${hook}/config`));

    const deleted = await call('DELETE', hook);
    expect(deleted.status).toBe(204);
    conforms('DELETE', H, deleted);
  });

  it('rejects a body that breaks the schema (the check is not vacuous)', async () => {
    const { call } = await github();
    const created = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', config: { url: 'http://127.0.0.1:9/hook', content_type: 'json' } });
    const schema = doc.paths[`${R}/hooks`]!.post!.responses['201']!.content!['application/json']!.schema!;
    const validate = ajv.compile(toJsonSchema(schema) as Schema);
    expect(validate(created.body), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ ...(created.body as Schema), id: 'not a number' })).toBe(false);
    expect(ajv.errorsText(validate.errors, { dataVar: 'body' })).toContain('body/id');
  });

  it('answers documented errors with documented statuses and bodies', async () => {
    const { gh, call } = await github();

    const anonymous = await call('GET', '/user', null);
    expect(anonymous.status).toBe(401);
    conforms('GET', '/user', anonymous);

    const unknownRepo = await call('GET', '/repos/octo/nope');
    expect(unknownRepo.status).toBe(404);
    conforms('GET', R, unknownRepo);

    const unknownHook = await call('GET', '/repos/octo/widgets/hooks/1');
    expect(unknownHook.status).toBe(404);
    conforms('GET', H, unknownHook);
    const deleteUnknown = await call('DELETE', '/repos/octo/widgets/hooks/1');
    expect(deleteUnknown.status).toBe(404);
    conforms('DELETE', H, deleteUnknown);
    const pingUnknown = await call('POST', '/repos/octo/widgets/hooks/1/pings');
    expect(pingUnknown.status).toBe(404);
    conforms('POST', `${H}/pings`, pingUnknown);

    const badHook = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', config: { content_type: 'json' } });
    expect(badHook.status).toBe(422);
    conforms('POST', `${R}/hooks`, badHook);
    const forbidden = await call('POST', '/repos/octo/widgets/hooks', 'fine', { name: 'web', config: { url: 'https://example.test/hook' } });
    expect(forbidden.status).toBe(403);
    conforms('POST', `${R}/hooks`, forbidden);

    // A delivery past GitHub's redelivery window (the hook's URL is unreachable: the attempt still counts).
    const created = await call('POST', '/repos/octo/widgets/hooks', 'classic', { name: 'web', config: { url: 'http://127.0.0.1:9/hook', content_type: 'json' } });
    const hookId = (created.body as { id: number }).id;
    const ping = await gh.waitForDelivery((d) => d.hookId === hookId);
    gh.age(ping.guid, 4 * 86_400_000);
    const tooOld = await call('POST', `/repos/octo/widgets/hooks/${hookId}/deliveries/${ping.id}/attempts`);
    expect(tooOld.status).toBe(422);
    conforms('POST', `${H}/deliveries/{delivery_id}/attempts`, tooOld);
  });
});
