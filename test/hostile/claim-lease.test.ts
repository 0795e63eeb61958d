/**
 * A sender that dies mid-send: `trigger --count` from the CLI, beside a running serve, is
 * killed with SIGKILL while its requests are out. Its messages must not stay "sending"
 * until serve restarts: the live serve takes them back once their claim runs out, and
 * delivers them.
 * Needs `npm run build` (out/main/cli.js).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { MessageView } from '../../src/shared/outbound-types';
import { tempDataDir } from '../helpers/data-dir';
import { HOOKBENCH_BIN, runCli, startServe } from '../helpers/serve-process';
import { startSink } from '../helpers/sink';
import { waitUntil } from '../helpers/wait-until';

const COUNT = 5;

describe('claims on outbound messages', () => {
  it('delivers the messages of a trigger --count killed mid-send, from the running serve, once their claim runs out', { timeout: 90_000 }, async () => {
    const dir = tempDataDir();
    // The first requests (the killed sender's) hang; later ones are answered.
    const sink = await startSink((_req, n) => (n <= COUNT ? 'hang' : { status: 204 }));
    const added = await runCli([
      'endpoint', 'add', '--name', 'sink', '--url', sink.url, '--dialect', 'standard-webhooks', '--events', 'release.published',
      '--timeout-ms', '2000', '--retry', '1', '--max-in-flight', String(COUNT), '--data-dir', dir, '--json',
    ]);
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout) as { id: string };
    const serve = await startServe(dir, ['--no-ui']);
    onTestFinished(() => serve.stop().then(() => undefined));

    const sender = spawn(process.execPath, [HOOKBENCH_BIN, 'trigger', '--endpoint', id, '--event', 'release.published', '--count', String(COUNT), '--data-dir', dir], {
      stdio: 'ignore',
    });
    const killed = new Promise((resolve) => sender.once('exit', resolve));
    await sink.waitFor(COUNT);
    sender.kill('SIGKILL');
    await killed;

    const messages = async () => (JSON.parse((await runCli(['endpoint', 'messages', id, '--data-dir', dir, '--json'])).stdout) as { items: MessageView[] }).items;
    const settled = await waitUntil(messages, (list) => list.length === COUNT && list.every((m) => m.state === 'succeeded'), 45_000);
    const answered = new Set(sink.received.slice(COUNT).map((r) => r.header('webhook-id')));
    expect(settled.filter((m) => !answered.has(m.messageId))).toEqual([]);
    expect(serve.child.exitCode).toBeNull();
  });
});
