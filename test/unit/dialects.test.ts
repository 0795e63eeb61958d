import { createHmac } from 'node:crypto';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { detectDialects, dialectNames, dialects, getDialect } from '../../src/main/engine/dialects';
import type { Dialect } from '../../src/main/engine/dialects';
import { HeaderList } from '../../src/main/engine/receiver/headers';

const T = 1772439400;
const ID = 'msg_2xQ9wLk3Vb7Tz';
const hl = (record: Record<string, string>) => HeaderList.fromRecord(record);
const bodyOf = (d: Dialect) => Buffer.from(JSON.stringify(d.events[0]!.sample()));
const stripeClient = new Stripe('sk_test_hookbench_unit');

const SLACK_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
  '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

describe('published vectors', () => {
  it('GitHub: "It\'s a Secret to Everybody" over "Hello, World!"', () => {
    const body = Buffer.from('Hello, World!');
    const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const { headers, signedBytes } = dialects.github.sign(body, "It's a Secret to Everybody", { timestamp: T, id: ID });
    expect(headers['X-Hub-Signature-256']).toBe(expected);
    expect(signedBytes.equals(body)).toBe(true);
    const result = dialects.github.verify(hl({ 'x-hub-signature-256': expected }), body, ["It's a Secret to Everybody"], T);
    expect(result).toMatchObject({ ok: true, matchedSecretIndex: 0, expected, received: expected });
  });

  it('Standard Webhooks: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = Buffer.from('{"test": 2432232314}');
    const opts = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330 };
    const { headers, signedBytes } = dialects['standard-webhooks'].sign(body, secret, opts);
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(signedBytes.toString()).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}');
    expect(dialects['standard-webhooks'].verify(hl(headers), body, [secret], 1614265330).ok).toBe(true);
  });

  it("Slack: the body from Slack's verifying-requests guide", () => {
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const body = Buffer.from(SLACK_BODY);
    const { headers, signedBytes } = dialects.slack.sign(body, secret, { timestamp: 1531420618, id: ID });
    expect(headers['X-Slack-Signature']).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    expect(headers['X-Slack-Request-Timestamp']).toBe('1531420618');
    expect(signedBytes.toString()).toBe(`v0:1531420618:${SLACK_BODY}`);
    expect(dialects.slack.verify(hl(headers), body, [secret], 1531420618 + 60)).toMatchObject({ ok: true, skewSeconds: 60 });
  });
});

describe("cross-checks against the providers' own libraries", () => {
  const payload = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
  const body = Buffer.from(payload);

  it('@octokit/webhooks-methods signs what GitHub-dialect signs, and each verifies the other', async () => {
    const secret = 'octo-secret-éé';
    const ours = dialects.github.sign(body, secret, { timestamp: T, id: ID }).headers['X-Hub-Signature-256']!;
    const theirs = await octokitSign(secret, payload);
    expect(ours).toBe(theirs);
    expect(await octokitVerify(secret, payload, ours)).toBe(true);
    expect(dialects.github.verify(hl({ 'X-Hub-Signature-256': theirs }), body, [secret], T).ok).toBe(true);
    expect(await octokitVerify('other', payload, ours)).toBe(false);
  });

  it('standardwebhooks Webhook signs and verifies the same bytes', () => {
    const d = dialects['standard-webhooks'];
    const secret = d.generateSecret();
    const now = Math.floor(Date.now() / 1000);
    const wh = new Webhook(secret);
    const { headers } = d.sign(body, secret, { timestamp: now, id: ID });
    expect(headers['webhook-signature']).toBe(wh.sign(ID, new Date(now * 1000), payload));
    expect(wh.verify(payload, headers)).toEqual(JSON.parse(payload));
    const theirs = { 'webhook-id': ID, 'webhook-timestamp': String(now), 'webhook-signature': wh.sign(ID, new Date(now * 1000), payload) };
    expect(d.verify(hl(theirs), body, [secret], now).ok).toBe(true);
  });

  it('standardwebhooks accepts GitLab signing-token deliveries', () => {
    const token = dialects['standard-webhooks'].generateSecret();
    const now = Math.floor(Date.now() / 1000);
    const { headers } = dialects.gitlab.sign(body, token, { timestamp: now, id: ID, event: 'Tag Push Hook' });
    expect(headers['X-Gitlab-Token']).toBeUndefined();
    expect(headers['Idempotency-Key']).toBe(headers['webhook-id']);
    expect(new Webhook(token).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it('stripe generateTestHeaderString equals our header; constructEvent accepts ours', () => {
    const d = dialects.stripe;
    const secret = d.generateSecret();
    const event = JSON.stringify(d.events[0]!.sample());
    const now = Math.floor(Date.now() / 1000);
    const ours = d.sign(Buffer.from(event), secret, { timestamp: now, id: ID }).headers['Stripe-Signature']!;
    const theirs = stripeClient.webhooks.generateTestHeaderString({ payload: event, secret, timestamp: now });
    expect(ours).toBe(theirs);
    expect(stripeClient.webhooks.constructEvent(event, ours, secret).type).toBe('payment_intent.succeeded');
    expect(() => stripeClient.webhooks.constructEvent(event, ours, 'whsec_other')).toThrow();
    expect(d.verify(hl({ 'stripe-signature': theirs }), Buffer.from(event), [secret], now).ok).toBe(true);
  });

  it('stripe: several v1= during rotation; a match on any is accepted', () => {
    const [oldSecret, newSecret] = ['whsec_old_' + 'a'.repeat(20), 'whsec_new_' + 'b'.repeat(20)];
    const now = Math.floor(Date.now() / 1000);
    const v1 = (s: string) =>
      stripeClient.webhooks.generateTestHeaderString({ payload, secret: s, timestamp: now }).split(',v1=')[1]!;
    const header = `t=${now},v1=${v1(newSecret)},v1=${v1(oldSecret)}`;
    expect(stripeClient.webhooks.constructEvent(payload, header, oldSecret)).toEqual(JSON.parse(payload));
    expect(dialects.stripe.verify(hl({ 'Stripe-Signature': header }), body, [oldSecret], now)).toMatchObject({
      ok: true,
      matchedSecretIndex: 0,
    });
  });
});

describe('secret encodings, checked independently with node:crypto', () => {
  const body = Buffer.from('{"a":1}');
  const hmac = (key: string | Buffer, data: string, enc: 'hex' | 'base64') =>
    createHmac('sha256', key).update(data).digest(enc);

  it('stripe keys with the whole whsec_ string', () => {
    const secret = 'whsec_abc';
    const header = dialects.stripe.sign(body, secret, { timestamp: T, id: ID }).headers['Stripe-Signature'];
    expect(header).toBe(`t=${T},v1=${hmac('whsec_abc', `${T}.{"a":1}`, 'hex')}`);
  });

  it('repsy base64url-decodes the secret and signs `{ISO timestamp}.{body}`', () => {
    const key = Buffer.from([0xfb, 0xff, 0x01, 0x02, 0xfe]);
    const secret = key.toString('base64url');
    const { headers, signedBytes } = dialects.repsy.sign(body, secret, { timestamp: T, id: ID });
    expect(headers['X-Repsy-Timestamp']).toBe('2026-03-02T08:16:40.000Z');
    expect(signedBytes.toString()).toBe('2026-03-02T08:16:40.000Z.{"a":1}');
    expect(headers['X-Repsy-Signature']).toBe(hmac(key, '2026-03-02T08:16:40.000Z.{"a":1}', 'base64'));
  });

  it('repsy accepts an ISO timestamp with microseconds and rejects a non-UTC one', () => {
    const secret = dialects.repsy.generateSecret();
    const ts = '2026-03-02T08:16:40.219000Z';
    const sig = hmac(Buffer.from(secret, 'base64url'), `${ts}.{"a":1}`, 'base64');
    const ok = dialects.repsy.verify(hl({ 'X-Repsy-Signature': sig, 'X-Repsy-Timestamp': ts }), body, [secret], T + 10);
    expect(ok).toMatchObject({ ok: true, skewSeconds: 10 });
    const local = dialects.repsy.verify(hl({ 'X-Repsy-Signature': sig, 'X-Repsy-Timestamp': '2026-03-02T09:16:40+01:00' }), body, [secret], T);
    expect(local.ok).toBe(false);
    expect(local.reason).toMatch(/ISO 8601 UTC/);
  });

  it('shopify is base64 over the body; privato bare hex; sigmagit sha256=hex', () => {
    expect(dialects.shopify.sign(body, 's', { timestamp: T, id: ID }).headers['X-Shopify-Hmac-Sha256']).toBe(hmac('s', '{"a":1}', 'base64'));
    expect(dialects.privato.sign(body, 's', { timestamp: T, id: ID }).headers['X-Signature']).toBe(hmac('s', '{"a":1}', 'hex'));
    const sg = dialects.sigmagit.sign(body, 's', { timestamp: T, id: ID, event: 'issues.opened' }).headers;
    expect(sg).toEqual({
      'X-Sigmagit-Event': 'issues.opened',
      'X-Sigmagit-Signature': 'sha256=' + hmac('s', '{"a":1}', 'hex'),
      'User-Agent': 'Sigmagit-Webhook/1.0',
    });
  });
});

describe.each(dialectNames)('dialect %s', (name) => {
  const d = getDialect(name);
  const body = bodyOf(d);
  const secret = d.generateSecret();
  const signed = () => hl(d.sign(body, secret, { timestamp: T, id: ID, event: d.events[0]!.name }).headers);

  it('sign → verify round trip', () => {
    const result = d.verify(signed(), body, [secret], T);
    expect(result.ok, result.reason).toBe(true);
    expect(result.matchedSecretIndex).toBe(0);
    // GitLab's generated secret is a plain token (no timestamp); its signing-token mode is tested below.
    expect(result.skewSeconds).toBe(d.timestamp && name !== 'gitlab' ? 0 : undefined);
  });

  it('fails with the wrong secret, and on a changed body', () => {
    const wrong = d.verify(signed(), body, [d.generateSecret()], T);
    expect(wrong.ok).toBe(false);
    expect(wrong.matchedSecretIndex).toBeNull();
    expect(wrong.reason).toMatch(/does not match/);
    // A GitLab secret token proves the sender, not the body; every other scheme covers the body.
    const tampered = d.verify(signed(), Buffer.concat([body, Buffer.from(' ')]), [secret], T);
    expect(tampered.ok).toBe(name === 'gitlab');
  });

  it('accepts a rotation: the old secret still verifies, as the second of two', () => {
    const result = d.verify(signed(), body, [d.generateSecret(), secret], T);
    expect(result).toMatchObject({ ok: true, matchedSecretIndex: 1 });
  });

  it('fails without secrets and without its signature header', () => {
    expect(d.verify(signed(), body, [], T).ok).toBe(false);
    expect(d.verify(hl({ 'Content-Type': 'application/json' }), body, [secret], T)).toMatchObject({ ok: false });
  });

  it('detect() picks this dialect first from its own signed headers', () => {
    expect(d.detect(signed())).toBe(true);
    expect(detectDialects(signed())[0]?.name).toBe(name);
  });

  it('every event has a sample that JSON-serializes', () => {
    expect(d.events.length).toBeGreaterThan(0);
    const keys = d.events.map((e) => `${e.name}/${e.variant ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of d.events) {
      expect(e.description.length).toBeGreaterThan(0);
      const json = JSON.stringify(e.sample());
      expect(typeof json).toBe('string');
      expect(JSON.parse(json)).toEqual(e.sample());
    }
  });

  it('declares its headers, secret encoding and retry schedule', () => {
    expect(Object.keys(d.sign(body, secret, { timestamp: T, id: ID }).headers).every((h) => d.headers.includes(h))).toBe(
      true,
    );
    expect(d.secret.description.length).toBeGreaterThan(0);
    expect(d.retry.delaysSeconds.length).toBeGreaterThan(0);
    expect(d.retry.description.length).toBeGreaterThan(0);
  });
});

describe('timestamp tolerance', () => {
  const timestamped = dialectNames.map(getDialect).filter((d) => d.timestamp !== null && d.name !== 'gitlab');

  it.each(timestamped.map((d) => d.name))('%s rejects a message older than 300 s and reports the skew', (name) => {
    const d = getDialect(name);
    const secret = d.generateSecret();
    const body = bodyOf(d);
    const headers = hl(d.sign(body, secret, { timestamp: T, id: ID }).headers);
    expect(d.verify(headers, body, [secret], T + 300)).toMatchObject({ ok: true, skewSeconds: 300 });
    const late = d.verify(headers, body, [secret], T + 301);
    expect(late).toMatchObject({ ok: false, skewSeconds: 301, matchedSecretIndex: null });
    expect(late.reason).toMatch(/301 s old/);
    expect(d.verify(headers, body, [secret], T + 301, { toleranceSeconds: 600 }).ok).toBe(true);
  });

  it('future timestamps: Standard Webhooks and GitLab signing reject them, Stripe, Slack and Repsy do not', () => {
    for (const name of ['standard-webhooks', 'stripe', 'slack', 'repsy'] as const) {
      const d = dialects[name];
      const secret = d.generateSecret();
      const body = bodyOf(d);
      const result = d.verify(hl(d.sign(body, secret, { timestamp: T, id: ID }).headers), body, [secret], T - 3600);
      expect(result.skewSeconds).toBe(-3600);
      expect(result.ok, name).toBe(name !== 'standard-webhooks');
      if (!result.ok) expect(result.reason).toMatch(/3600 s in the future/);
    }
    const token = dialects['standard-webhooks'].generateSecret();
    const body = bodyOf(dialects.gitlab);
    const headers = hl(dialects.gitlab.sign(body, token, { timestamp: T, id: ID }).headers);
    expect(dialects.gitlab.verify(headers, body, [token], T + 400)).toMatchObject({ ok: false, skewSeconds: 400 });
    expect(dialects.gitlab.verify(headers, body, [token], T - 400)).toMatchObject({ ok: false, skewSeconds: -400 });
    expect(dialects.gitlab.verify(headers, body, [token], T + 300)).toMatchObject({ ok: true, skewSeconds: 300 });
  });
});

describe('dialect details', () => {
  it('Standard Webhooks: any of several space-separated signatures; svix-* headers too', () => {
    const d = dialects['standard-webhooks'];
    const secret = d.generateSecret();
    const body = Buffer.from('{"x":true}');
    const real = d.sign(body, secret, { timestamp: T, id: ID }).headers['webhook-signature']!;
    const list = `v1,${Buffer.alloc(32).toString('base64')} ${real}`;
    const headers = { 'webhook-id': ID, 'webhook-timestamp': String(T), 'webhook-signature': list };
    expect(d.verify(hl(headers), body, [secret], T)).toMatchObject({ ok: true, received: list });
    const svix = { 'svix-id': ID, 'svix-timestamp': String(T), 'svix-signature': real };
    expect(d.verify(hl(svix), body, [secret], T).ok).toBe(true);
    expect(d.detect(hl(svix))).toBe(true);
    expect(() => d.sign(body, secret, { timestamp: T, id: 'msg.1' })).toThrow(/must not contain/);
  });

  it('GitLab secret token: compared as-is, reported only by length', () => {
    const d = dialects.gitlab;
    const token = 'plain-token-123';
    const { headers, signedBytes } = d.sign(Buffer.from('{}'), token, { timestamp: T, id: ID, event: 'Push Hook' });
    expect(headers['X-Gitlab-Token']).toBe(token);
    expect(headers['X-Gitlab-Event']).toBe('Push Hook');
    expect(signedBytes.length).toBe(0);
    const ok = d.verify(hl(headers), Buffer.from('{}'), [token], T);
    expect(ok.ok).toBe(true);
    expect(ok.expected).toBe('15 characters (not shown)');
    const bad = d.verify(hl({ ...headers, 'X-Gitlab-Token': 'nope' }), Buffer.from('{}'), [token], T);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain(token);
  });

  it('GitLab signing token: Standard Webhooks format, rotation across token kinds, wrong token fails', () => {
    const d = dialects.gitlab;
    const signing = dialects['standard-webhooks'].generateSecret();
    const body = bodyOf(d);
    const { headers, signedBytes } = d.sign(body, signing, { timestamp: T, id: ID, event: 'Tag Push Hook' });
    expect(signedBytes.toString()).toBe(`${ID}.${T}.${body.toString()}`);
    expect(d.verify(hl(headers), body, ['plain-token', signing], T)).toMatchObject({ ok: true, matchedSecretIndex: 1, skewSeconds: 0 });
    const wrong = d.verify(hl(headers), body, [dialects['standard-webhooks'].generateSecret()], T);
    expect(wrong).toMatchObject({ ok: false, matchedSecretIndex: null });
    expect(wrong.reason).toMatch(/webhook-signature does not match/);
  });

  it('Gitea: bare-hex X-Gitea-Signature plus GitHub copies; form bodies verify over the JSON payload', () => {
    const d = dialects.gitea;
    const json = JSON.stringify(d.events[0]!.sample());
    const { headers } = d.sign(Buffer.from(json), 's3cret', { timestamp: T, id: ID, event: 'push' });
    expect(headers['X-Gitea-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(headers['X-Hub-Signature-256']).toBe('sha256=' + headers['X-Gitea-Signature']);
    expect(dialects.github.detect(hl(headers))).toBe(true);
    expect(detectDialects(hl(headers)).map((x) => x.name)).toEqual(['gitea', 'github']);
    const form = Buffer.from('payload=' + encodeURIComponent(json));
    const formHeaders = hl({ ...headers, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(d.verify(formHeaders, form, ['s3cret'], T).ok).toBe(true);
    expect(dialects.github.verify(formHeaders, form, ['s3cret'], T).ok).toBe(false);
  });

  it('a repeated signature header is refused', () => {
    const sig = dialects.github.sign(Buffer.from('{}'), 's', { timestamp: T, id: ID }).headers['X-Hub-Signature-256']!;
    const twice = new HeaderList([
      ['X-Hub-Signature-256', sig],
      ['x-hub-signature-256', sig],
    ]);
    const result = dialects.github.verify(twice, Buffer.from('{}'), ['s'], T);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/sent 2 times/);
  });

  it('a malformed signature says so', () => {
    const result = dialects.sigmagit.verify(hl({ 'X-Sigmagit-Signature': 'abc' }), Buffer.from('{}'), ['s'], T);
    expect(result).toMatchObject({ ok: false, received: 'abc' });
    expect(result.reason).toMatch(/malformed/);
  });

  it('GitHub names the legacy SHA-1 header when it is the only one', () => {
    const result = dialects.github.verify(hl({ 'X-Hub-Signature': 'sha1=00' }), Buffer.from('{}'), ['s'], T);
    expect(result.reason).toMatch(/legacy SHA-1/);
  });

  it('retry schedules follow the senders', () => {
    expect(dialects.privato.retry).toMatchObject({ delaysSeconds: [10, 100], disableAfterExhausted: false });
    expect(dialects.sigmagit.retry).toMatchObject({ delaysSeconds: [60, 300, 1800, 7200, 21600], disableAfterExhausted: true });
    for (const name of ['github', 'gitlab', 'repsy', 'standard-webhooks', 'stripe', 'slack', 'shopify', 'gitea'] as const) {
      expect(dialects[name].retry.delaysSeconds).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
      expect(dialects[name].retry.description).toMatch(/Svix-like/);
    }
  });

  it('event catalogues cover the senders', () => {
    const names = (n: keyof typeof dialects) => dialects[n].events.map((e) => e.name);
    expect(names('privato')).toEqual([
      'license.created', 'license.updated', 'license.deleted', 'release.published', 'package.created',
      'package.updated', 'package.deleted', 'customer.created', 'customer.updated', 'package.downloaded',
    ]);
    expect(names('sigmagit')).toHaveLength(15);
    expect(names('repsy')).toEqual(['package.deployed']);
    expect(dialects.repsy.events[0]!.sample()).toMatchObject({ event_type: 'package.deployed', repoType: 'RUBY' });
    expect(names('github')).toEqual(['ping', 'push', 'push', 'release', 'create']);
    expect(names('gitlab')).toEqual(['Tag Push Hook', 'Push Hook']);
    const tagPush = dialects.github.events.find((e) => e.variant === 'tag')!.sample() as { ref: string; repository: { created_at: unknown } };
    expect(tagPush.ref).toBe('refs/tags/v1.4.2');
    expect(typeof tagPush.repository.created_at).toBe('number');
  });

  it('getDialect throws a clear error listing the known names', () => {
    expect(getDialect('stripe').label).toBe('Stripe');
    expect(() => getDialect('paypal')).toThrow(
      'Unknown dialect "paypal". Known dialects: github, gitlab, privato, repsy, sigmagit, standard-webhooks, stripe, slack, shopify, gitea.',
    );
  });

  it('detectDialects returns nothing for plain requests and every match otherwise', () => {
    expect(detectDialects(hl({ 'Content-Type': 'application/json' }))).toEqual([]);
    const token = dialects['standard-webhooks'].generateSecret();
    const headers = hl(dialects.gitlab.sign(Buffer.from('{}'), token, { timestamp: T, id: ID }).headers);
    expect(detectDialects(headers).map((d) => d.name)).toEqual(['gitlab', 'standard-webhooks']);
  });
});
