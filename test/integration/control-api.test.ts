import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createControlServer } from '../../src/main/engine/control/http-server';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';

const startSite = engineSites();

async function setup(kind: EngineKind) {
  const { engine } = await startSite(kind);
  const control = createControlServer({ invoke: engine.invoke, bus: engine.bus, uiDir: null });
  const { url, uiUrl } = await control.listen({ port: 0 });
  onTestFinished(() => control.close());
  const call = (method: string, params: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(params),
    });
  return { engine, control, url, uiUrl, call };
}

/** fetch() will not let a test forge Host; node:http will. */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('control API', () => {
    it('serves the contract with the launch token and validates params', async () => {
      const t = await setup(kind);
      const added = await t.call('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7' });
      expect(added.status).toBe(200);
      const list = (await (await t.call('packages.list', {})).json()) as { result: { repo: string }[] };
      expect(list.result.map((p) => p.repo)).toEqual(['octo/widgets']);
      const bad = await t.call('packages.add', { provider: 'bitbucket', repo: 'x', repoId: 'y' });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: { code: string; issues: string[] } };
      expect(body.error.code).toBe('invalid_params');
      expect(body.error.issues.join(' ')).toMatch(/provider/);
      expect((await t.call('nope.nothing', {})).status).toBe(404);
      expect((await t.call('deliveries.get', { id: 12345 })).status).toBe(404);
    });

    it('never returns a secret from a list', async () => {
      const t = await setup(kind);
      const added = (await (await t.call('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7' })).json()) as { result: { secret: string } };
      const list = await (await t.call('packages.list', {})).text();
      expect(list).not.toContain(added.result.secret);
    });

    it('refuses requests without the token, from a foreign Origin, or with a rebinding Host', async () => {
      const t = await setup(kind);
      expect((await t.call('packages.list', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await t.call('packages.list', {}, { origin: 'https://evil.example' })).status).toBe(403);
      expect(await rawGet(`${t.url}/api/events?token=${t.control.token}`, { host: 'evil.example:80' })).toBe(421);
      expect(t.uiUrl).toContain(`token=${t.control.token}`);
      // A method name that is not valid percent-encoding is an unknown method, not a server error.
      const garbled = await t.call('%E0%A4%A', {});
      expect(garbled.status).toBe(404);
    });

    it('refuses to bind anywhere but loopback', async () => {
      const { engine } = await startSite(kind);
      const control = createControlServer({ invoke: engine.invoke, bus: engine.bus });
      await expect(control.listen({ host: '0.0.0.0' })).rejects.toThrow(/only binds to loopback/);
    });

    it('serves pages with a strict Content-Security-Policy', async () => {
      const t = await setup(kind);
      const page = await fetch(`${t.url}/`);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(page.headers.get('content-security-policy')).toMatch(/object-src 'none'/);
    });
  });
});
