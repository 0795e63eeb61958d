import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeliveryDetail, PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { servedSite } from '../helpers/served-site';
import { runCli } from '../helpers/serve-process';

const startSite = engineSites();

// On both stores: a data dir's serve settings, and a team server instance's options.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('direct mode', () => {
    it('lets in only allowlisted callers, believing X-Forwarded-For only from a named proxy, and records refusals', async () => {
      const { engine, receiverUrl } = await startSite(kind, { receiverAccess: { allow: ['203.0.113.0/24'], trustedProxies: ['127.0.0.1'] } });
      const pkg = await addPackage(engine, 'github', 42);
      const url = `${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
      const body = JSON.stringify(githubTagPush(42, 'v1.0.0'));
      const headers = await githubHeaders('push', body, pkg.secret);

      const direct = await post(url, body, headers);
      expect(direct.status).toBe(403);
      const refused = (await engine.invoke('deliveries.list', {})) as { id: number }[];
      const d = (await engine.invoke('deliveries.get', { id: refused[0]!.id })) as DeliveryDetail;
      expect(d).toMatchObject({ outcome: 'rejected', statusCode: 403, remoteAddress: '127.0.0.1', bodyBase64: '' });
      expect(d.outcomeReason).toMatch(/not in the receiver's allowlist \(203\.0\.113\.0\/24\)/);

      const viaProxy = await post(url, body, { ...headers, 'x-forwarded-for': '203.0.113.7' });
      expect(viaProxy.status).toBe(202);
      expect(((await engine.invoke('deliveries.get', { id: viaProxy.json.delivery })) as DeliveryDetail).remoteAddress).toBe('203.0.113.7');

      // A caller cannot smuggle an allowed address in front of its own.
      const forged = await post(url, body, { ...(await githubHeaders('push', body, pkg.secret)), 'x-forwarded-for': '203.0.113.7, 198.51.100.1' });
      expect(forged.status).toBe(403);
    });

    it('serve --public-url makes hook URLs point at the public address', async () => {
      const { cli } = await servedSite(startSite, kind, { publicUrl: 'https://hooks.example.com/' });
      const added = await cli('package', 'add', '--provider', 'github', '--repo', 'octo/w', '--repo-id', '1', '--json');
      expect((JSON.parse(added.stdout) as PackageCreated).hookUrl).toMatch(/^https:\/\/hooks\.example\.com\/hooks\/hk_/);
    });
  });
});

describe('serve refuses a bad allowlist before it starts', () => {
  it('on a data dir', async () => {
    const bad = await runCli(['serve', '--data-dir', tempDataDir(), '--port', '0', '--receiver-port', '0', '--allow', '10.0.0.0/99']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/prefix outside 0–32/);
  });

  it('on a team database', async () => {
    const site = await startSite('postgres');
    const { databaseUrl } = site.place as { databaseUrl: string };
    const bad = await runCli(['serve', '--database', databaseUrl, '--port', '0', '--receiver-port', '0', '--allow', '10.0.0.0/99'], {
      HOOKBENCH_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/prefix outside 0–32/);
  });
});
