import { sign, verify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signingTokenFor } from '../../src/main/engine/ids';
import { HeaderList } from '../../src/main/engine/receiver/headers';
import { hookIdFromQuery, normalizeChannel, normalizeServer, tunnelHookBase } from '../../src/main/engine/tunnel/channel';
import { parseSmeeEvent } from '../../src/main/engine/tunnel/event';
import { recoverBody } from '../../src/main/engine/tunnel/recover';
import { githubExample, githubTagPush, gitlabTagPush } from '../helpers/payloads';

const secret = 'a1'.repeat(32);
const secrets = { secret, signingToken: signingTokenFor(secret) };

/** What smee makes of a request: its event data, as the tunnel receives it. */
const throughSmee = (headers: Record<string, string>, body: unknown, query: Record<string, string> = {}) =>
  parseSmeeEvent(JSON.stringify({ host: 'smee.io', ...headers, body, query, timestamp: Date.now() }));

describe('tunnel: channel URLs and smee events', () => {
  it('carries the hook id in the query, since smee keeps no path below the channel', () => {
    const channel = normalizeChannel('https://smee.io/AbC-12_x');
    const hookUrl = `${tunnelHookBase(channel)}/hooks/hk_123`;
    expect(hookUrl).toBe('https://smee.io/AbC-12_x?path=/hooks/hk_123');
    const query = Object.fromEntries(new URL(hookUrl).searchParams);
    expect(hookIdFromQuery(query)).toBe('hk_123');
    expect(hookIdFromQuery({ hook: 'hk_456' })).toBe('hk_456');
    expect(hookIdFromQuery({ path: '/elsewhere' })).toBeNull();
    expect(hookIdFromQuery({})).toBeNull();
    expect(() => normalizeChannel('https://smee.io/a/b')).toThrow(/should look like/);
    expect(() => normalizeServer('ftp://smee.io')).toThrow(/http or https/);
    expect(normalizeServer('https://smee.example/')).toBe('https://smee.example');
  });

  it('reads headers, body, query and timestamp from the event data, repeated headers kept apart', () => {
    const event = parseSmeeEvent(JSON.stringify({ 'x-github-event': 'push', 'set-cookie': ['a=1', 'b=2'], body: { a: 1 }, query: { path: '/hooks/x' }, timestamp: 5 }));
    expect(event.headers).toEqual([['x-github-event', 'push'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    expect(event).toMatchObject({ body: { a: 1 }, query: { path: '/hooks/x' }, timestamp: 5 });
    expect(() => parseSmeeEvent('nope')).toThrow(/not JSON/);
  });
});

describe('tunnel: recovering the bytes the provider signed', () => {
  it('rebuilds GitHub-escaped JSON, and the rebuilt bytes verify with octokit too', async () => {
    const payload = githubExample('discussion', (p) => JSON.stringify(p).includes('&'));
    const raw = JSON.stringify(payload).replace(/&/g, '\\u0026');
    const signature = await sign(secret, raw);
    const event = throughSmee({ 'content-type': 'application/json', 'x-github-event': 'discussion', 'x-hub-signature-256': signature }, JSON.parse(raw));
    const recovery = recoverBody('github', new HeaderList(event.headers), event.body, secrets, Date.now());
    expect(recovery.kind).toBe('verified');
    if (recovery.kind !== 'verified') return;
    expect(recovery.body.toString()).toBe(raw);
    expect(await verify(secret, recovery.body.toString(), signature)).toBe(true);
  });

  it('rebuilds a form-encoded GitHub body from a smee that parsed the form into {payload}', async () => {
    const json = JSON.stringify(githubTagPush(9, 'v1.0.0'));
    const form = new URLSearchParams({ payload: json }).toString();
    const event = throughSmee(
      { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-hub-signature-256': await sign(secret, form) },
      { payload: json },
    );
    const recovery = recoverBody('github', new HeaderList(event.headers), event.body, secrets, Date.now());
    expect(recovery).toMatchObject({ kind: 'verified', reconstruction: expect.stringMatching(/^form-encoded like Ruby/) });
  });

  it('puts rebuilds of the provider’s Content-Length first and names the sizes when none matches', async () => {
    const raw = JSON.stringify(githubTagPush(9, 'v1.0.0')).replace('"id":9,', '"id":9.0,');
    const event = throughSmee(
      { 'content-type': 'application/json', 'content-length': String(raw.length), 'x-github-event': 'push', 'x-hub-signature-256': await sign(secret, raw) },
      JSON.parse(raw),
    );
    const recovery = recoverBody('github', new HeaderList(event.headers), event.body, secrets, Date.now());
    expect(recovery.kind).toBe('changed');
    if (recovery.kind !== 'changed') return;
    expect(recovery.tried.length).toBeGreaterThan(5);
    expect(recovery.reason).toContain(`The provider sent ${raw.length} bytes`);
  });

  it('finds the bytes for GitLab’s Standard-Webhooks signature regardless of age (the receiver judges the age)', () => {
    const raw = JSON.stringify(gitlabTagPush(5, 'v1.0.0'), null, 2);
    const old = new Date(Date.now() - 3600_000);
    const signature = new Webhook(secrets.signingToken).sign('msg_1', old, raw);
    const event = throughSmee(
      { 'content-type': 'application/json', 'x-gitlab-event': 'Tag Push Hook', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(old.getTime() / 1000)), 'webhook-signature': signature },
      JSON.parse(raw),
    );
    const recovery = recoverBody('gitlab', new HeaderList(event.headers), event.body, secrets, Date.now());
    expect(recovery).toMatchObject({ kind: 'verified', reconstruction: 'JSON indented by 2 spaces' });
  });

  it('leaves a missing signature, or GitLab’s token, to the receiver', () => {
    const body = githubTagPush(9, 'v1.0.0');
    const unsigned = throughSmee({ 'content-type': 'application/json', 'x-github-event': 'push' }, body);
    expect(recoverBody('github', new HeaderList(unsigned.headers), unsigned.body, secrets, Date.now()).kind).toBe('unsigned');
    const token = throughSmee({ 'content-type': 'application/json', 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-token': secret }, gitlabTagPush(5, 'v1'));
    expect(recoverBody('gitlab', new HeaderList(token.headers), token.body, secrets, Date.now()).kind).toBe('unsigned');
  });
});

describe('tunnel: the forms the real-server test found missing, named for what was found', () => {
  const recover = async (raw: string) => {
    const event = throughSmee({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)), 'x-github-event': 'push', 'x-hub-signature-256': await sign(secret, raw) }, JSON.parse(raw));
    const recovery = recoverBody('github', new HeaderList(event.headers), event.body, secrets, Date.now());
    expect(recovery.kind).toBe('verified');
    if (recovery.kind !== 'verified') throw new Error('not verified');
    expect(recovery.body.toString('utf8')).toBe(raw);
    return recovery.reconstruction;
  };

  // Python 3's json.dumps(value, indent=2) and json.dumps(value), run on this value (ensure_ascii, the default).
  const value = {
    ref: 'refs/tags/v1.0.0',
    repository: { id: 9, full_name: 'octo/widgets', description: 'Zoë’s “widgets” – 😀', topics: [], owner: {} },
    head_commit: { message: 'fix <b> & ship' },
  };
  const pythonIndented =
    '{\n  "ref": "refs/tags/v1.0.0",\n  "repository": {\n    "id": 9,\n    "full_name": "octo/widgets",\n' +
    '    "description": "Zo\\u00eb\\u2019s \\u201cwidgets\\u201d \\u2013 \\ud83d\\ude00",\n    "topics": [],\n    "owner": {}\n  },\n' +
    '  "head_commit": {\n    "message": "fix <b> & ship"\n  }\n}';
  const pythonDefault =
    '{"ref": "refs/tags/v1.0.0", "repository": {"id": 9, "full_name": "octo/widgets", "description": "Zo\\u00eb\\u2019s \\u201cwidgets\\u201d \\u2013 \\ud83d\\ude00", "topics": [], "owner": {}}, "head_commit": {"message": "fix <b> & ship"}}';

  it('rebuilds indented JSON with escaped non-ASCII, as Python’s json.dumps(indent=2) writes it', async () => {
    expect(JSON.parse(pythonIndented)).toEqual(value);
    expect(await recover(pythonIndented)).toBe('JSON indented by 2 spaces, escaped: non-ASCII as \\uxxxx (Python json.dumps(indent=2))');
    expect(await recover(pythonDefault)).toBe('JSON with ", " and ": " separators, escaped: non-ASCII as \\uxxxx (Python json.dumps defaults)');
  });

  it('rebuilds uppercase \\uXXXX escapes (.NET System.Text.Json, and HTML escapes written in uppercase)', async () => {
    const compact = JSON.stringify({ ...value, note: 'say "hi" + \'bye\'' });
    const up = (c: string) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    const dotnet = compact
      .replace(/[<>&'+`]/g, up)
      .replace(/\\(.)/g, (pair, c: string) => (c === '"' ? '\\u0022' : pair))
      .replace(/[\u0080-\uffff]/g, up);
    expect(dotnet).toContain('\\u003C');
    expect(await recover(dotnet)).toBe("compact JSON, escaped: <, >, &, ', +, ` and quotes and non-ASCII as \\uXXXX (uppercase hex) (.NET System.Text.Json)");
    const htmlUpper = JSON.stringify({ ref: 'refs/tags/v1.0.0', message: 'a <b> & c' }).replace(/[<>&]/g, up);
    expect(await recover(htmlUpper)).toBe('compact JSON, escaped: <, >, & as \\uXXXX (uppercase hex)');
  });

  it('names the form by what it changed: no HTML escapes claimed for a body without <, > or &', async () => {
    const plain = { ref: 'refs/tags/v1.0.0', description: 'Zoë – ünïcode' };
    const ascii = JSON.stringify(plain).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    expect(await recover(ascii)).toBe('compact JSON, escaped: non-ASCII as \\uxxxx (Ruby ascii_only, Python ensure_ascii)');
    // Python's separators, nothing non-ASCII to escape: the layout alone is named.
    const spaced = '{"ref": "refs/tags/v1.0.0", "n": [1, 2]}';
    expect(await recover(spaced)).toBe('JSON with ", " and ": " separators');
  });
});
