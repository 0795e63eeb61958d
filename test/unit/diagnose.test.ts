import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDialect } from '../../src/main/engine/dialects';
import { HeaderList } from '../../src/main/engine/receiver/headers';
import { diagnose } from '../../src/main/engine/signature/diagnose';

const SECRET = "It's a Secret to Everybody";
const hex = (key: string, data: string) => createHmac('sha256', key).update(data).digest('hex');
const gh = (body: string, signature: string, extra: [string, string][] = []) =>
  new HeaderList([['Content-Type', 'application/json'], ['X-GitHub-Event', 'push'], ['X-Hub-Signature-256', signature], ...extra]);

describe('signature debugger', () => {
  it('confirms a valid signature and shows the exact bytes signed', () => {
    const d = diagnose({ headers: gh('Hello, World!', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'), body: Buffer.from('Hello, World!'), secrets: [SECRET] });
    expect(d).toMatchObject({ dialect: 'github', verdict: 'valid', cause: null });
    expect(d.signedBytes?.text).toBe('Hello, World!');
  });

  it('names the other known secret that does match', () => {
    const body = '{"ref":"refs/tags/v1.0.0"}';
    const d = diagnose({ headers: gh(body, 'sha256=' + hex('old-secret', body)), body: Buffer.from(body), secrets: ['new-secret', 'old-secret'], secretLabels: ['hook secret', 'previous hook secret'] });
    expect(d).toMatchObject({ cause: 'wrong_secret', matchedSecret: 'previous hook secret' });
    // Expected is what the secret being checked produces, so it differs from what was received.
    expect(d.expected).toBe('sha256=' + hex('new-secret', body));
    expect(d.received).toBe('sha256=' + hex('old-secret', body));
  });

  it('says the secret is wrong when nothing reproduces the signature, listing what it tried', () => {
    const body = '{"a":1}';
    const d = diagnose({ headers: gh(body, 'sha256=' + hex('someone else', body)), body: Buffer.from(body), secrets: [SECRET] });
    expect(d).toMatchObject({ verdict: 'invalid', cause: 'wrong_secret' });
    expect(d.tried.length).toBeGreaterThan(10);
    expect(d.expected).toBe('sha256=' + hex(SECRET, body));
  });

  it('recovers GitHub\u2019s \\u003c escaping after a relay re-serialized the body', () => {
    const original = '{"title":"\\u003cscript\\u003e \\u0026 co"}';
    const relayed = JSON.stringify(JSON.parse(original));
    const d = diagnose({ headers: gh(relayed, 'sha256=' + hex(SECRET, original)), body: Buffer.from(relayed), secrets: [SECRET] });
    expect(d.cause).toBe('body_reserialized');
    expect(d.explanation).toMatch(/escaped as \\u003c/);
  });

  it('recovers escapings that were combined, "\\/" together with \\u003c', () => {
    const original = '{"url":"https:\\/\\/example.com\\/a","html":"\\u003cb\\u003e"}';
    const relayed = JSON.stringify(JSON.parse(original));
    const d = diagnose({ headers: gh(relayed, 'sha256=' + hex(SECRET, original)), body: Buffer.from(relayed), secrets: [SECRET] });
    expect(d.cause).toBe('body_reserialized');
    expect(d.explanation).toContain('"/" and <, >, & escaped');
  });

  it('spots pretty-printed JSON that was signed compact', () => {
    const original = '{"a":{"b":[1,2]},"c":"x"}';
    const received = JSON.stringify(JSON.parse(original), null, 2);
    const d = diagnose({ headers: gh(received, 'sha256=' + hex(SECRET, original)), body: Buffer.from(received), secrets: [SECRET] });
    expect(d).toMatchObject({ cause: 'body_reserialized' });
    expect(d.explanation).toMatch(/compact JSON/);
  });

  it('tells form from JSON', () => {
    const json = '{"ref":"refs/tags/v1.0.0"}';
    const form = 'payload=' + encodeURIComponent(json);
    const d = diagnose({ headers: gh(json, 'sha256=' + hex(SECRET, form)), body: Buffer.from(json), secrets: [SECRET] });
    expect(d.cause).toBe('form_vs_json');
    // URLSearchParams writes spaces as "+" and escapes ! ' ( ) ~, which encodeURIComponent leaves.
    const tricky = '{"note":"it\'s (nearly) done! ~ é"}';
    const searchParams = new URLSearchParams({ payload: tricky }).toString();
    const e = diagnose({ headers: gh(tricky, 'sha256=' + hex(SECRET, searchParams)), body: Buffer.from(tricky), secrets: [SECRET] });
    expect(e).toMatchObject({ cause: 'form_vs_json', reconstruction: 'form-encoded as payload=<JSON> (URLSearchParams)' });
  });

  it('tells a missing prefix and a base64 digest apart from a wrong secret', () => {
    const body = '{"a":1}';
    const bare = diagnose({ headers: gh(body, hex(SECRET, body)), body: Buffer.from(body), secrets: [SECRET] });
    expect(bare.cause).toBe('prefix');
    const b64 = 'sha256=' + createHmac('sha256', SECRET).update(body).digest('base64');
    expect(diagnose({ headers: gh(body, b64), body: Buffer.from(body), secrets: [SECRET] }).cause).toBe('hex_vs_base64');
  });

  it('catches a secret used raw where the dialect decodes it (Repsy: base64url)', () => {
    const secret = 'c2VjcmV0LWtleS1mb3ItcmVwc3k';
    const ts = new Date().toISOString();
    const body = '{"event_type":"package.deployed"}';
    const wrong = createHmac('sha256', secret).update(`${ts}.${body}`).digest('base64');
    const d = diagnose({ headers: new HeaderList([['X-Repsy-Timestamp', ts], ['X-Repsy-Signature', wrong]]), body: Buffer.from(body), secrets: [secret], dialect: 'repsy' });
    expect(d).toMatchObject({ dialect: 'repsy', cause: 'secret_encoding' });
    expect(d.explanation).toMatch(/raw text/);
  });

  it('reports a stale timestamp by how much', () => {
    const sw = getDialect('standard-webhooks');
    const secret = sw.generateSecret();
    const body = Buffer.from('{"type":"release.published"}');
    const now = 1_800_000_000;
    const { headers } = sw.sign(body, secret, { timestamp: now - 3600, id: 'msg_1' });
    const d = diagnose({ headers: HeaderList.fromRecord(headers), body, secrets: [secret], now: now * 1000 });
    expect(d).toMatchObject({ cause: 'timestamp', skewSeconds: 3600 });
    expect(d.explanation).toMatch(/3600 s old/);
  });

  it('flags duplicated and misspelled signature headers', () => {
    const body = '{"a":1}';
    const sig = 'sha256=' + hex(SECRET, body);
    expect(diagnose({ headers: gh(body, sig, [['X-Hub-Signature-256', sig]]), body: Buffer.from(body), secrets: [SECRET] }).cause).toBe('duplicate_header');
    const d = diagnose({ headers: new HeaderList([['X_Hub_Signature_256', sig]]), body: Buffer.from(body), secrets: [SECRET] });
    expect(d).toMatchObject({ cause: 'misspelled_header', verdict: 'missing' });
  });

  it('detects the dialect without a secret and says what it needs', () => {
    const slack = getDialect('slack');
    const { headers } = slack.sign(Buffer.from('token=x'), 'secret', { timestamp: 1531420618, id: 'x' });
    const d = diagnose({ headers: HeaderList.fromRecord(headers), body: Buffer.from('token=x') });
    expect(d).toMatchObject({ dialect: 'slack', verdict: 'unchecked' });
    expect(d.signedBytes?.text).toBe('v0:1531420618:token=x');
  });
});

describe('the diagnosis is never wrong', () => {
  const body = '{"ref":"refs/tags/v1.0.0"}';
  const sha1 = (key: string, data: string) => createHmac('sha1', key).update(data).digest('hex');

  it('a SHA-1-only X-Hub-Signature that matches: the secret is right, SHA-256 is missing', () => {
    const headers = new HeaderList([['X-GitHub-Event', 'push'], ['X-Hub-Signature', 'sha1=' + sha1(SECRET, body)]]);
    const d = diagnose({ headers, body: Buffer.from(body), secrets: [SECRET], secretLabels: ['this hook\u2019s secret'] });
    expect(d).toMatchObject({ verdict: 'invalid', cause: 'legacy_signature', matchedSecret: 'this hook\u2019s secret', received: 'sha1=' + sha1(SECRET, body) });
    expect(d.expected).toBe(d.received);
    expect(d.explanation).toContain('Only the legacy SHA-1 X-Hub-Signature was sent, and it matches this hook\u2019s secret, so the secret is right.');
    expect(d.fix).toMatch(/X-Hub-Signature-256/);
    expect(d.fix).not.toMatch(/copy the secret/);
  });

  it('a SHA-1-only X-Hub-Signature that does not match says so, still not "missing"', () => {
    const headers = new HeaderList([['X-GitHub-Event', 'push'], ['X-Hub-Signature', 'sha1=' + sha1('other', body)]]);
    const d = diagnose({ headers, body: Buffer.from(body), secrets: [SECRET] });
    expect(d).toMatchObject({ verdict: 'invalid', cause: 'legacy_signature', matchedSecret: null });
    expect(d.explanation).toMatch(/does not match the given secret either/);
  });

  const sw = getDialect('standard-webhooks');
  const swSecret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  const swHeaders = (signature: string, timestamp = '1800000000') => new HeaderList([['webhook-id', 'msg_1'], ['webhook-timestamp', timestamp], ['webhook-signature', signature]]);
  const stripeHeaders = (value: string) => new HeaderList([['Stripe-Signature', value]]);
  const hex64 = hex(SECRET, 'unrelated');

  it.each([
    ['github, one hex digit short', gh(body, 'sha256=' + hex64.slice(1)), 'github', /X-Hub-Signature-256 is malformed: it has 63 hex digits; an HMAC-SHA256 has 64/],
    ['github, not hex', gh(body, 'sha256=' + 'zz' + hex64.slice(2)), 'github', /is not hex: it contains "z"/],
    ['github, no sha256= prefix', gh(body, 'deadbeef' + hex64.slice(8)), 'github', /lacks the "sha256=" prefix/],
    ['github, sha1= in the SHA-256 header', gh(body, 'sha1=' + sha1(SECRET, body)), 'github', /starts "sha1=" where "sha256=" is expected/],
    ['standard webhooks, garbage', swHeaders('v1,@@@@'), 'standard-webhooks', /webhook-signature is malformed: it is not base64: it contains "@"/],
    ['standard webhooks, no v1,', swHeaders(Buffer.alloc(32).toString('base64')), 'standard-webhooks', /lacks the "v1," prefix/],
    ['stripe, no t=', stripeHeaders('v1=' + hex64), 'stripe', /Stripe-Signature is malformed: it has no t= timestamp; expected "t=<unix seconds>,v1=/],
    ['stripe, no v1=', stripeHeaders('t=1800000000,v0=' + hex64), 'stripe', /it has no v1= signature \(only v0=, which is not accepted\)/],
    ['stripe, short v1=', stripeHeaders('t=1800000000,v1=abc'), 'stripe', /Stripe-Signature is malformed: it has 3 hex digits/],
    ['standard webhooks, an id with "."', new HeaderList([['webhook-id', 'msg.1'], ['webhook-timestamp', '1800000000'], ['webhook-signature', 'v1,' + Buffer.alloc(32).toString('base64')]]), 'standard-webhooks', /webhook-id contains "\."/],
  ])('a malformed signature header is called malformed, and how: %s', (_, headers, dialect, how) => {
    const d = diagnose({ headers, body: Buffer.from(body), secrets: [dialect === 'standard-webhooks' ? swSecret : SECRET], dialect, now: 1_800_000_000_000 });
    expect(d.cause).toBe('malformed_signature');
    expect(d.explanation).toMatch(how);
    expect(d.explanation).not.toMatch(/secret differs/);
  });

  it('a re-serialized body: Expected, the signed bytes and the reconstruction all describe the bytes that matched', () => {
    const original = '{"a":{"b":[1,2]},"c":"x"}';
    const received = JSON.stringify(JSON.parse(original), null, 2);
    const d = diagnose({ headers: gh(received, 'sha256=' + hex(SECRET, original)), body: Buffer.from(received), secrets: [SECRET] });
    expect(d).toMatchObject({ cause: 'body_reserialized', reconstruction: 'as compact JSON' });
    expect(d.expected).toBe(d.received);
    expect(d.signedBytes?.text).toBe(original);
  });

  it('a trailing newline added on the way is named as such, in a whole sentence', () => {
    const d = diagnose({ headers: gh(body, 'sha256=' + hex(SECRET, body)), body: Buffer.from(body + '\n'), secrets: [SECRET] });
    expect(d).toMatchObject({ cause: 'body_changed', reconstruction: 'without its trailing newline' });
    expect(d.explanation).toBe('The signature matches the body without its trailing newline. A newline was added at the end after signing, by the sender\u2019s framework or by a proxy on the way.');
    expect(d.signedBytes?.text).toBe(body);
  });

  it('a GitLab token that does not match is compared, not signed: no signed bytes, no reconstructions, no secret shown', () => {
    const secret = 'f'.repeat(32);
    const token = 'glpat-0123456789abcd';
    const headers = new HeaderList([['X-Gitlab-Event', 'Tag Push Hook'], ['X-Gitlab-Token', token]]);
    const d = diagnose({ headers, body: Buffer.from(body), secrets: [secret], secretLabels: ['this hook\u2019s secret'] });
    expect(d).toMatchObject({ dialect: 'gitlab', cause: 'wrong_secret', signedBytes: null, tried: [] });
    expect(d.explanation).toContain('GitLab does not sign this request');
    expect(d.explanation).toContain('received 20 characters, starting "gl…"; expected 32 characters');
    expect(d.fix).toMatch(/secret token/);
    expect(d.fix).not.toMatch(/signs/);
    expect(JSON.stringify(d)).not.toContain(secret);
    expect(JSON.stringify(d)).not.toContain(token);
  });

  it('a GitLab token is never shown, even before a secret is given', () => {
    const token = 'glpat-0123456789abcd';
    const d = diagnose({ headers: new HeaderList([['X-Gitlab-Event', 'Tag Push Hook'], ['X-Gitlab-Token', token]]), body: Buffer.from(body) });
    expect(d).toMatchObject({ verdict: 'unchecked', received: '20 characters (not shown)', signedBytes: null });
    expect(JSON.stringify(d)).not.toContain(token);
  });

  it('names the other package whose secret signed the delivery', () => {
    const other = 'b'.repeat(64);
    const d = diagnose({
      headers: gh(body, 'sha256=' + hex(other, body)),
      body: Buffer.from(body),
      secrets: [SECRET],
      secretLabels: ['this hook\u2019s secret'],
      elsewhere: [{ secret: 'c'.repeat(64), label: 'the secret of package "a"' }, { secret: other, label: 'the secret of package "b"' }],
    });
    expect(d).toMatchObject({ cause: 'wrong_secret', matchedSecret: 'the secret of package "b"' });
    expect(d.explanation).toMatch(/^The signature was made with the secret of package "b", not this hook’s secret/);
  });

  it('a webhook-timestamp in milliseconds is named as such, not blamed on the encoding', () => {
    const ms = '1800000000123';
    const { headers } = sw.sign(Buffer.from(body), swSecret, { timestamp: 0, timestampText: ms, id: 'msg_1' });
    const d = diagnose({ headers: HeaderList.fromRecord(headers), body: Buffer.from(body), secrets: [swSecret], now: 1_800_000_000_000 });
    expect(d.cause).toBe('timestamp_unit');
    expect(d.explanation).toMatch(/webhook-timestamp "1800000000123" looks like milliseconds; the dialect wants whole seconds/);
    expect(d.explanation).toMatch(/The signature does match the timestamp as sent/);
    expect(d.signedBytes?.text).toBe(`msg_1.${ms}.${body}`);
  });

  it.each([
    ['Stripe t= in milliseconds', 'stripe', /Stripe-Signature t= "1800000000123" looks like milliseconds/],
    ['a Repsy timestamp given as Unix seconds', 'repsy', /X-Repsy-Timestamp "1800000000" is a unix time; the dialect wants an ISO 8601 UTC time/],
  ])('a timestamp in the wrong unit is named, and the signature checked as sent: %s', (_, name, how) => {
    const dialect = getDialect(name);
    const secret = dialect.generateSecret();
    const text = name === 'stripe' ? '1800000000123' : '1800000000';
    const { headers } = dialect.sign(Buffer.from(body), secret, { timestamp: 0, timestampText: text, id: 'msg_1' });
    const d = diagnose({ headers: HeaderList.fromRecord(headers), body: Buffer.from(body), secrets: [secret], now: 1_800_000_000_000 });
    expect(d.cause).toBe('timestamp_unit');
    expect(d.explanation).toMatch(how);
    expect(d.explanation).toMatch(/The signature does match the timestamp as sent/);
  });

  it('a malformed webhook-timestamp is called malformed, not a wrong secret', () => {
    const d = diagnose({ headers: swHeaders('v1,' + Buffer.alloc(32).toString('base64'), 'yesterday'), body: Buffer.from(body), secrets: [swSecret] });
    expect(d.cause).toBe('malformed_timestamp');
    expect(d.explanation).toMatch(/webhook-timestamp "yesterday" is not a unix time in whole seconds/);
  });

  it('a delivery signed with the previous secret during the rotation overlap is valid', () => {
    const { headers } = sw.sign(Buffer.from(body), swSecret, { timestamp: 1_800_000_000, id: 'msg_1' });
    const d = diagnose({
      headers: HeaderList.fromRecord(headers),
      body: Buffer.from(body),
      secrets: [sw.generateSecret(), swSecret],
      secretLabels: ['this hook\u2019s secret', 'this hook\u2019s previous secret (still accepted during the rotation)'],
      accepted: 2,
      now: 1_800_000_000_000,
    });
    expect(d).toMatchObject({ verdict: 'valid', cause: null, matchedSecret: 'this hook\u2019s previous secret (still accepted during the rotation)' });
  });

  it('a body nested 500,000 levels deep is diagnosed without a crash, saying what was not tried', () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    const d = diagnose({ headers: gh(deep, 'sha256=' + hex('other', deep)), body: Buffer.from(deep), secrets: [SECRET] });
    expect(d.cause).toBe('wrong_secret');
    expect(d.untried.join(' ')).toMatch(/nests 500,000 levels deep/);
  });
});
