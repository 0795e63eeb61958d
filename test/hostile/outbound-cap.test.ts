import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EndpointSecret } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { runCli } from '../helpers/serve-process';

/** An endpoint that answers 200 and then streams its body without end, counting what it wrote. */
async function endlessEndpoint() {
  const state = { written: 0, hungUp: false };
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) state.written += chunk.length;
        if (!res.destroyed) state.written += chunk.length;
      };
      res.on('drain', pump);
      res.on('close', () => (state.hungUp = true));
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, state };
}

describe('outbound response cap', () => {
  it('stops reading an endless response at 64 KiB and records the attempt as answered, response cut', async () => {
    const dir = tempDataDir();
    const endpoint = await endlessEndpoint();
    // A timeout far beyond the test's: the attempt can only finish in time by hanging up at the cap.
    const added = await runCli(['endpoint', 'add', '--name', 'endless', '--url', endpoint.url, '--dialect', 'standard-webhooks', '--events', 'release.published', '--timeout-ms', '120000', '--data-dir', dir, '--json']);
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout) as EndpointSecret;

    const fired = await runCli(['trigger', '--endpoint', id, '--event', 'release.published', '--data-dir', dir, '--json']);
    expect(fired.code).toBe(0);
    const { attempt } = JSON.parse(fired.stdout) as { attempt: { status: number; succeeded: boolean; responseBody: string; responseTruncated: boolean; error: string | null } };
    expect(attempt).toMatchObject({ status: 200, succeeded: true, responseTruncated: true, error: null });
    expect(attempt.responseBody.length).toBe(64 * 1024);
    expect(endpoint.state.hungUp).toBe(true);
    // What the endpoint managed to push before the hang-up is socket buffers' worth, not its whole output.
    expect(endpoint.state.written).toBeLessThan(64 * 1024 * 1024);

    const attempts = await runCli(['endpoint', 'attempts', id, '--data-dir', dir]);
    expect(attempts.stdout).toMatch(/response cut at 64 KiB/);
  });
});
