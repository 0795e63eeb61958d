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
