import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HOOKBENCH_BIN, startServe } from '../helpers/serve-process';
import { tempDataDir } from '../helpers/data-dir';

function hookbench(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HOOKBENCH_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOOKBENCH_TOKEN: '', HOOKBENCH_SERVER: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function createToken(dataDir: string, name: string, role: string): Promise<string> {
  const made = await hookbench(['token', 'create', '--name', name, '--role', role, '--data-dir', dataDir, '--json']);
  expect(made.code, made.stderr).toBe(0);
  return (JSON.parse(made.stdout) as { token: string }).token;
}

async function serveOn(dataDir: string, extra: string[]) {
  const served = await startServe(dataDir, extra);
  onTestFinished(async () => void (await served.stop()));
  return served;
}

/** A self-signed certificate for 127.0.0.1, made by openssl. */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

function httpsPost(url: string, ca: Buffer, token: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('serve for a team', () => {
  it('refuses a control API beyond loopback without TLS or --behind-proxy, before anything is written', async () => {
    const dir = tempDataDir();
    const refused = await hookbench(['serve', '--data-dir', join(dir, 'data'), '--host', '0.0.0.0', '--port', '0', '--receiver-port', '0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--host 0.0.0.0 is refused');
    expect(refused.stderr).toContain('--tls-cert FILE --tls-key FILE');
    expect(refused.stderr).toContain('--behind-proxy');
    expect(() => statSync(join(dir, 'data'))).toThrow();
    const half = await hookbench(['serve', '--data-dir', join(dir, 'data'), '--tls-cert', join(dir, 'x.pem'), '--port', '0', '--receiver-port', '0']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--tls-cert and --tls-key go together');
  });

  it('serves over HTTPS with --tls-cert/--tls-key, where only named tokens open the API', async () => {
    const dir = tempDataDir();
    const { cert, key } = selfSigned(dir);
    const viewer = await createToken(dir, 'reader', 'viewer');
    const served = await serveOn(dir, ['--host', '0.0.0.0', '--tls-cert', cert, '--tls-key', key]);
    expect(served.ui).toMatch(/^https:\/\/0\.0\.0\.0:\d+\/$/);
    const api = served.ui.replace('0.0.0.0', '127.0.0.1');
    const ca = readFileSync(cert);
    expect((await httpsPost(`${api}api/packages.list`, ca, viewer, {})).status).toBe(200);
    const denied = await httpsPost(`${api}api/packages.add`, ca, viewer, { provider: 'github', repo: 'a/b', repoId: '1' });
    expect(denied.status).toBe(403);
    expect((await httpsPost(`${api}api/packages.list`, ca, 'hbk_wrong', {})).status).toBe(401);
  });

  it('the CLI drives a running serve with --server and a token (HOOKBENCH_TOKEN or a saved login), as that token', async () => {
    const dir = tempDataDir();
    const config = tempDataDir();
    const admin = await createToken(dir, 'ada', 'admin');
    const operator = await createToken(dir, 'otto', 'operator');
    const served = await serveOn(dir, ['--behind-proxy']);
    const server = served.ui.replace(/\/$/, '');
    const elsewhere = tempDataDir(); // the CLI's own data dir stays untouched

    const added = await hookbench(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '7', '--server', server, '--data-dir', elsewhere, '--json'], { HOOKBENCH_TOKEN: admin });
    expect(added.code, added.stderr).toBe(0);
    const pkg = JSON.parse(added.stdout) as { id: string };

    const login = await hookbench(['login', '--server', server, '--token', operator], { HOOKBENCH_CONFIG_DIR: config });
    expect(login.code, login.stderr).toBe(0);
    expect(statSync(join(config, 'servers.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(config, 'servers.json'), 'utf8')).toContain(operator);

    const listed = await hookbench(['package', 'list', '--server', server, '--json'], { HOOKBENCH_CONFIG_DIR: config });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id)).toEqual([pkg.id]);

    const refused = await hookbench(['package', 'remove', pkg.id, '--server', server], { HOOKBENCH_CONFIG_DIR: config });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('operator role may not call packages.remove');

    const badLogin = await hookbench(['login', '--server', server, '--token', 'hbk_typo'], { HOOKBENCH_CONFIG_DIR: join(config, 'other') });
    expect(badLogin.code).toBe(1);
    expect(badLogin.stderr).toMatch(/token/i);

    const audit = await hookbench(['audit', '--json', '--server', server], { HOOKBENCH_TOKEN: admin });
    expect(audit.code, audit.stderr).toBe(0);
    const rows = JSON.parse(audit.stdout) as { actor: string; method: string; outcome: string; target: string | null; remoteAddress: string | null }[];
    expect(rows.find((r) => r.method === 'packages.add')).toMatchObject({ actor: 'ada', outcome: 'ok', target: pkg.id });
    expect(rows.find((r) => r.method === 'packages.remove')).toMatchObject({ actor: 'otto', outcome: 'forbidden', target: null });
    expect(rows.find((r) => r.outcome === 'unauthorised')?.remoteAddress).toMatch(/127\.0\.0\.1/);
    expect(elsewhere).toBeTruthy();
    expect((await hookbench(['package', 'list', '--data-dir', elsewhere, '--json'])).stdout.trim()).toBe('[]');
  }, 180_000);

  it('answers /healthz, /readyz and /metrics', async () => {
    const dir = tempDataDir();
    const served = await serveOn(dir, []);
    const base = new URL(served.ui).origin;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of ['hookbench_deliveries', 'hookbench_ingest_lag_seconds', 'hookbench_messages', 'hookbench_attempt_duration_seconds', 'hookbench_tunnel_state']) {
      expect(metrics).toContain(`# TYPE ${name}`);
    }
    expect(metrics).toContain('hookbench_tunnel_state{state="disconnected"} 1');
  });
});
