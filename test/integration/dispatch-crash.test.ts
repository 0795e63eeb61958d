/**
 * Outbound crash safety through the built CLI: kill -9 `serve` while it is dispatching,
 * restart it, and every message still reaches every subscribed endpoint, repeats
 * carrying the same message id. Needs `npm run build`.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EndpointSecret, PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { signedGithubTagPush } from '../helpers/payloads';
import { runCli, startServe } from '../helpers/serve-process';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const TAGS = 120;

describe('dispatch crash safety', () => {
  it('delivers every message to every endpoint at least once across a SIGKILL, repeats keeping their id', async () => {
    const dir = tempDataDir();
    const sink = await startSink(() => ({ status: 200 }));
    const cli = async <T>(args: string[]) => JSON.parse((await runCli([...args, '--data-dir', dir, '--json'])).stdout) as T;
    const pkg = await cli<PackageCreated>(['package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42']);
    for (const name of ['a', 'b']) {
      await cli<EndpointSecret>(['endpoint', 'add', '--name', name, '--url', `${sink.url}/${name}`, '--dialect', 'standard-webhooks', '--events', 'release.published', '--max-in-flight', '2']);
    }

    let serve = await startServe(dir);
    onTestFinished(async () => {
      await serve.stop('SIGKILL');
    });
    const hookPath = new URL(pkg.hookUrl).pathname;
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: TAGS }, async (_, i) => {
        const tag = `v1.${i}.0`;
        const { body, headers } = signedGithubTagPush(pkg.secret, 42, tag);
        const res = await fetch(serve.receiver + hookPath, { method: 'POST', body, headers });
        if (res.status === 202) acked.push(tag);
      }),
    );
    expect(acked).toHaveLength(TAGS);
    await sink.waitFor(20);
    await serve.stop('SIGKILL');
    const beforeRestart = sink.received.length;

    serve = await startServe(dir);
    const tagsAt = (endpoint: string) =>
      new Set(sink.received.filter((r) => r.path === `/${endpoint}`).map((r) => (JSON.parse(r.body.toString()) as { data: { release: { tag: string } } }).data.release.tag));
    await waitUntil(
      async () => [tagsAt('a').size, tagsAt('b').size],
      ([a, b]) => a === TAGS && b === TAGS,
      60_000,
    );
    expect(beforeRestart).toBeLessThan(TAGS * 2);
    for (const endpoint of ['a', 'b']) expect([...tagsAt(endpoint)].sort()).toEqual([...acked].sort());
    // A message sent twice (in flight at the kill) carries the same webhook-id both times.
    const idsByTag = new Map<string, Set<string>>();
    for (const r of sink.received) {
      const key = `${r.path} ${(JSON.parse(r.body.toString()) as { data: { release: { tag: string } } }).data.release.tag}`;
      idsByTag.set(key, (idsByTag.get(key) ?? new Set()).add(r.header('webhook-id')!));
    }
    for (const ids of idsByTag.values()) expect(ids.size).toBe(1);
  });
});
