import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeliveryDetail, Diagnosis, HookRotation, SignedRequest } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post, startEngine } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush, gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { runCli } from '../helpers/serve-process';

const REPO_ID = 1296269;

const startSite = engineSites();

async function setup(kind: EngineKind) {
  const { engine, receiverUrl } = await startSite(kind);
  const pkg = await addPackage(engine, 'github', REPO_ID, 'octo/widgets');
  const url = (hookUrl: string) => `${receiverUrl}/hooks/${hookUrl.split('/hooks/')[1]}`;
  const delivery = async (id: unknown) => (await engine.invoke('deliveries.get', { id: id as number })) as DeliveryDetail;
  const diagnosis = async (id: unknown) => (await engine.invoke('deliveries.diagnose', { id: id as number })) as Diagnosis;
  return { engine, pkg, url, hook: url(pkg.hookUrl), delivery, diagnosis };
}

const sha1 = (secret: string, body: string) => 'sha1=' + createHmac('sha1', secret).update(body).digest('hex');

// On both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('diagnosing stored deliveries, through the real receiver', () => {
    it('a SHA-1-only GitHub delivery is refused as "legacy SHA-1 only", not "missing", and diagnosed as such', async () => {
      const t = await setup(kind);
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
      const { 'x-hub-signature-256': _sha256, ...headers } = await githubHeaders('push', body, t.pkg.secret);
      const res = await post(t.hook, body, { ...headers, 'x-hub-signature': sha1(t.pkg.secret, body) });
      expect(res.status).toBe(403);
      const stored = await t.delivery(res.json.delivery);
      expect(stored.verdict).toBe('invalid');
      expect(stored.verdictDetail).toMatchObject({ header: 'X-Hub-Signature', scheme: 'github-sha1', received: sha1(t.pkg.secret, body) });
      expect(stored.verdictDetail?.reason).toMatch(/only the legacy SHA-1 X-Hub-Signature was sent\. It matches the secret/);
      const d = await t.diagnosis(res.json.delivery);
      expect(d).toMatchObject({ cause: 'legacy_signature', matchedSecret: 'this hook\u2019s secret' });
      expect(d.fix).toMatch(/X-Hub-Signature-256/);
    });

    it('a delivery signed with another package\u2019s secret names that package', async () => {
      const t = await setup(kind);
      const other = await addPackage(t.engine, 'github', 42, 'octo/gadgets');
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
      const res = await post(t.hook, body, await githubHeaders('push', body, other.secret));
      expect(res.status).toBe(403);
      const d = await t.diagnosis(res.json.delivery);
      expect(d).toMatchObject({ cause: 'wrong_secret', matchedSecret: 'the secret of package "octo/gadgets"' });
      expect(d.explanation).toMatch(/made with the secret of package "octo\/gadgets"/);
      expect(JSON.stringify(d)).not.toContain(other.secret);
    });

    it('a delivery signed with the previous secret during a rotation overlap verifies and diagnoses as valid', async () => {
      const t = await setup(kind);
      const rotated = (await t.engine.invoke('packages.rotate', { id: t.pkg.id, overlapSeconds: 3600 })) as HookRotation;
      const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
      const res = await post(t.url(rotated.hookUrl), body, await githubHeaders('push', body, t.pkg.secret));
      expect(res.status).toBe(202);
      const d = await t.diagnosis(res.json.delivery);
      expect(d.verdict).toBe('valid');
      expect(d.matchedSecret).toMatch(/^this hook’s previous secret \(still accepted during the rotation, until /);
    });

    it('a wrong GitLab token is explained as a comparison, without signed bytes, reconstructions or the secret', async () => {
      const { engine, receiverUrl } = await startSite(kind);
      const pkg = await addPackage(engine, 'gitlab', 15, 'jsmith/example');
      const token = 'glpat-ABCDEFGHIJKLMNOPQRST';
      const res = await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, JSON.stringify(gitlabTagPush(15, 'v1.0.0')), gitlabHeaders('Tag Push Hook', token));
      expect(res.status).toBe(403);
      const d = (await engine.invoke('deliveries.diagnose', { id: res.json.delivery as number })) as Diagnosis;
      expect(d).toMatchObject({ cause: 'wrong_secret', signedBytes: null, tried: [] });
      expect(d.explanation).toContain(`received 26 characters, starting "gl…"; expected ${pkg.secret.length} characters`);
      expect(JSON.stringify(d)).not.toContain(pkg.secret);
    });

    it('a body nested deeper than can be re-serialized is diagnosed, saying what could not be tried', async () => {
      const t = await setup(kind);
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const res = await post(t.hook, deep, await githubHeaders('push', deep, 'not the secret'));
      expect(res.status).toBe(403);
      const d = await t.diagnosis(res.json.delivery);
      expect(d.cause).toBe('wrong_secret');
      expect(d.untried.join(' ')).toMatch(/nests 10,000 levels deep/);
    });

    it('a refused body kept only in part is not blamed on the secret: the diagnosis says what was kept', async () => {
      const t = await setup(kind);
      const big = JSON.stringify({ ref: 'refs/tags/v1.0.0', filler: 'x'.repeat(100_000) });
      const res = await post(t.hook, big, await githubHeaders('push', big, 'not the secret'));
      expect(res.status).toBe(403);
      const d = await t.diagnosis(res.json.delivery);
      expect(d.cause).toBeNull();
      expect(d.explanation).toContain(`Only the first 65,536 bytes of this refused request's ${big.length.toLocaleString('en-US')} bytes were kept`);
      expect(d.explanation).toContain('verdict: invalid');
      expect(d.fix).toContain('--rejected-body-limit');
    });
  });
});

describe('Repsy timestamps are signed exactly as given', () => {
  const secret = Buffer.from('a repsy key of thirty-two bytes!').toString('base64url');
  const body = '{"event_type":"package.deployed"}';
  const stamp = '2026-06-24T10:00:00.001000Z';
  const expected = createHmac('sha256', Buffer.from(secret, 'base64url')).update(`${stamp}.${body}`).digest('base64');

  it('through the API', async () => {
    const { engine } = await startEngine();
    const signed = (await engine.invoke('signature.sign', { dialect: 'repsy', secret, bodyBase64: Buffer.from(body).toString('base64'), timestamp: stamp })) as SignedRequest;
    expect(signed.headers).toMatchObject({ 'X-Repsy-Timestamp': stamp, 'X-Repsy-Signature': expected });
    expect(signed.signedBytes.text).toBe(`${stamp}.${body}`);
    await expect(engine.invoke('signature.sign', { dialect: 'repsy', secret, bodyBase64: '', timestamp: '2026-06-24T12:00:00+02:00' })).rejects.toThrow(/has a UTC offset/);
  });

  it('through the CLI, which refuses a text timestamp where the dialect wants seconds', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'body.json');
    writeFileSync(file, body);
    const res = await runCli(['sign', '--dialect', 'repsy', '--secret', secret, '--body-file', file, '--timestamp', stamp, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).headers).toMatchObject({ 'X-Repsy-Timestamp': stamp, 'X-Repsy-Signature': expected });
    const ms = await runCli(['sign', '--dialect', 'standard-webhooks', '--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '--body-file', file, '--timestamp', stamp]);
    expect(ms.code).toBe(2);
    expect(ms.stderr).toMatch(/--timestamp: .*is a date; the dialect wants a unix time in whole seconds/);
  });
});

describe('hookbench verify', () => {
  it('names the reconstruction its signed bytes are for', async () => {
    const dir = tempDataDir();
    const signedBody = '{"ref":"refs/tags/v1.0.0"}';
    const secret = "It's a Secret to Everybody";
    writeFileSync(join(dir, 'body.json'), signedBody + '\n');
    writeFileSync(join(dir, 'headers.txt'), `X-GitHub-Event: push\nX-Hub-Signature-256: sha256=${createHmac('sha256', secret).update(signedBody).digest('hex')}\n`);
    const res = await runCli(['verify', '--headers-file', join(dir, 'headers.txt'), '--body-file', join(dir, 'body.json'), '--secret', secret]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Verdict:\s+invalid — body changed/);
    expect(res.stdout).toContain('Why:       The signature matches the body without its trailing newline. A newline was added at the end after signing');
    expect(res.stdout).toContain(`Signed bytes (${signedBody.length}, the body without its trailing newline: the reconstruction that matched):\n${signedBody}`);
  });
});
