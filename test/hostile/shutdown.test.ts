import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { githubBranchPush, githubHeaders, githubTagPush } from '../helpers/payloads';
import { runCli, startServe } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

const CONNECTIONS = 12;
/** A behaviour bound, not a performance figure: a stop that takes longer is a stop that hangs. */
const EXIT_BOUND_MS = 10_000;

function post(url: string, agent: Agent, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

describe('SIGTERM under load', () => {
  it('stops within seconds over busy keep-alive connections; everything acknowledged is stored, nothing after', async () => {
    const dir = tempDataDir();
    const added = await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/load', '--repo-id', '41', '--data-dir', dir, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const { hookUrl, secret } = JSON.parse(added.stdout) as { hookUrl: string; secret: string };
    const hookId = hookUrl.split('/hooks/')[1]!;
    const server = await startServe(dir);
    const url = `${server.receiver}/hooks/${hookId}`;
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));

    // Branch pushes (answered without ingest) and tag pushes (ingested), each signed once.
    const bodies = [JSON.stringify(githubBranchPush(41)), JSON.stringify(githubTagPush(41, 'v1.0.0'))];
    const signed = await Promise.all(bodies.map(async (body) => ({ body, headers: await githubHeaders('push', body, secret) })));
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const acknowledged: string[] = [];
    const answers = new Map<number | string, number>();
    let running = true;
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const { body, headers } = signed[(n + i) % 4 === 0 ? 1 : 0]!;
        const id = randomUUID();
        try {
          const status = await post(url, agent, body, { ...headers, 'x-github-delivery': id });
          answers.set(status, (answers.get(status) ?? 0) + 1);
          if (status >= 200 && status < 300) acknowledged.push(id);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'error';
          answers.set(code, (answers.get(code) ?? 0) + 1);
          // Refused or reset: the server is going; try again as a provider would, without spinning.
          await delay(20);
        }
      }
    };
    const workers = Array.from({ length: CONNECTIONS }, (_, n) => worker(n));
    try {
      await waitUntil(async () => acknowledged.length, (n) => n >= 300, 20_000);
      const ackedBeforeSignal = acknowledged.length;
      server.child.kill('SIGTERM');
      const code = await Promise.race([exited, delay(EXIT_BOUND_MS).then(() => 'still running' as const)]);
      expect(code, `answers so far: ${JSON.stringify([...answers])}`).toBe(0);
      expect(acknowledged.length).toBeGreaterThanOrEqual(ackedBeforeSignal);
    } finally {
      running = false;
      await server.stop('SIGKILL');
      await Promise.all(workers);
      agent.destroy();
    }

    // Gone means gone: nothing answers on the receiver's port any more.
    await expect(post(url, new Agent(), signed[0]!.body, signed[0]!.headers)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const db = new Database(join(dir, 'hookbench.sqlite'), { readonly: true });
    const stored = new Set(db.prepare('SELECT provider_delivery_id FROM deliveries').pluck().all() as string[]);
    db.close();
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });
});
