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
