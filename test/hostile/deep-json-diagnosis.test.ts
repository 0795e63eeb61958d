import { createHmac } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Diagnosis } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { runCli, startServe } from '../helpers/serve-process';

/** The control API as the UI calls it, with the launch token. */
async function call<T>(ui: string, method: string, params: unknown): Promise<{ status: number; result?: T; error?: { message: string } }> {
  const url = new URL(ui);
  const res = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, ...((await res.json()) as { result?: T; error?: { message: string } }) };
}

describe('a hostile body in the signature diagnosis', () => {
  it('diagnoses a JSON body nested 500,000 levels deep over a running serve, saying what it could not try', async () => {
    const dir = tempDataDir();
    const added = await runCli(['package', 'add', '--provider', 'github', '--repo', 'octo/deep', '--repo-id', '77', '--data-dir', dir, '--json']);
    expect(added.code).toBe(0);
    const { hookUrl } = JSON.parse(added.stdout) as { hookUrl: string };
    const serve = await startServe(dir);
    onTestFinished(() => serve.stop().then(() => undefined));

    const deep = '{"a":'.repeat(500_000) + '1' + '}'.repeat(500_000);
    const res = await fetch(`${serve.receiver}/hooks/${hookUrl.split('/hooks/')[1]}`, {
      method: 'POST',
      body: deep,
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=' + createHmac('sha256', 'a guess').update(deep).digest('hex') },
    });
    expect(res.status).toBe(403);
    const { delivery } = (await res.json()) as { delivery: number };

    const answer = await call<Diagnosis>(serve.ui, 'deliveries.diagnose', { id: delivery });
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(200);
    // A refused request keeps only the first 64 KiB of its body: the diagnosis says so instead of guessing.
    expect(answer.result).toMatchObject({ dialect: 'github', cause: null });
    expect(answer.result!.explanation).toContain(`Only the first 65,536 bytes of this refused request's ${deep.length.toLocaleString('en-US')} bytes were kept`);
    // The debugger path takes the same bytes pasted in.
    const pasted = await call<Diagnosis>(serve.ui, 'signature.diagnose', {
      headers: [['X-GitHub-Event', 'push'], ['X-Hub-Signature-256', 'sha256=' + '0'.repeat(64)]],
      bodyBase64: Buffer.from(deep).toString('base64'),
      secrets: ['a secret'],
    });
    expect(pasted.status).toBe(200);
    expect(pasted.result!.untried).toHaveLength(1);
    expect(pasted.result!.untried[0]).toMatch(/the body nests 500,000 levels deep, more than the 1,000 Hookbench re-serializes/);
  });
});
