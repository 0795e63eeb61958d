import { connect } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { servePackage } from '../helpers/served-package';
import { waitUntil } from '../helpers/wait-until';

const MiB = 1024 * 1024;

/**
 * A signed-looking request whose body is held back: the receiver must read it whole to check it.
 * With Expect: 100-continue, the interim answer says the receiver has taken the request up.
 */
function heldBackRequest(receiverUrl: string, path: string, size: number) {
  const { hostname, port } = new URL(receiverUrl);
  const socket = connect(Number(port), hostname);
  const state = { answer: '', closed: false };
  socket.on('data', (chunk: Buffer) => (state.answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (state.closed = true));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n` +
      `X-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\nContent-Length: ${size}\r\nExpect: 100-continue\r\n\r\n`,
  );
  onTestFinished(() => void socket.destroy());
  return { state, finish: () => socket.write(Buffer.alloc(size, 'a')) };
}

describe('memory for bodies being read', () => {
  it('turns a signed request away with 503 before reading it when the bodies being read would pass the budget, and takes it once there is room', async () => {
    const { serve, hookUrl } = await servePackage(['--body-memory', '25MiB']);
    const path = new URL(hookUrl).pathname;
    const first = heldBackRequest(serve.receiver, path, 9 * MiB);
    const second = heldBackRequest(serve.receiver, path, 9 * MiB);
    await waitUntil(async () => first.state.answer + second.state.answer, (a) => a.split('100 Continue').length === 3);

    const third = heldBackRequest(serve.receiver, path, 9 * MiB);
    // Node says "100 Continue" on its own before the receiver sees the request; the answer follows.
    await waitUntil(async () => third.state.closed, Boolean);
    expect(third.state.answer).toMatch(/HTTP\/1\.1 503 [^]*retry-after: 5/i);

    first.finish();
    await waitUntil(async () => first.state.answer, (a) => /HTTP\/1\.1 403/.test(a));
    const fourth = heldBackRequest(serve.receiver, path, 9 * MiB);
    await waitUntil(async () => fourth.state.answer, (a) => a.includes('100 Continue'));
    fourth.finish();
    await waitUntil(async () => fourth.state.answer, (a) => /HTTP\/1\.1 403/.test(a));
  });
});
