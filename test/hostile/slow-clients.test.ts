import { connect, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { servePackage } from '../helpers/served-package';
import { waitUntil } from '../helpers/wait-until';

/** A raw TCP client of the receiver: what it was answered, and whether the server hung up. */
function rawClient(receiverUrl: string) {
  const { hostname, port } = new URL(receiverUrl);
  const socket = connect(Number(port), hostname);
  const state = { connected: false, closed: false, answer: '' };
  socket.on('connect', () => (state.connected = true));
  socket.on('data', (chunk: Buffer) => (state.answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (state.closed = true));
  return { socket, state };
}

function closeAll(sockets: Socket[]): void {
  for (const s of sockets) s.destroy();
}

describe('slow and idle clients', () => {
  it('answers a signed delivery while more than a thousand idle connections are held open', async () => {
    const { pkg, hookUrl, serve } = await servePackage();
    const idle = Array.from({ length: 1100 }, () => rawClient(serve.receiver));
    onTestFinished(() => closeAll(idle.map((c) => c.socket)));
    await waitUntil(async () => idle.filter((c) => c.state.connected || c.state.closed).length, (n) => n === idle.length);

    const body = JSON.stringify(githubTagPush(42, 'v1.0.0'));
    const res = await fetch(hookUrl, { method: 'POST', body, headers: await githubHeaders('push', body, pkg.secret) });
    expect(res.status).toBe(202);
  });

  it('holds at most the per-address limit of idle connections from one address', async () => {
    const { serve } = await servePackage(['--max-connections-per-address', '50']);
    const idle = Array.from({ length: 200 }, () => rawClient(serve.receiver));
    onTestFinished(() => closeAll(idle.map((c) => c.socket)));
    // Each newcomer past the limit takes the place of the oldest idle one.
    const open = await waitUntil(
      async () => idle.filter((c) => c.state.connected && !c.state.closed).length,
      (n) => n === 50,
    );
    expect(open).toBe(50);
  });

  it('makes room by closing an idle kept-alive connection before any that is still opening', async () => {
    const { serve } = await servePackage(['--max-connections', '16', '--max-connections-per-address', '16']);
    const opening = Array.from({ length: 15 }, () => rawClient(serve.receiver));
    onTestFinished(() => closeAll(opening.map((c) => c.socket)));
    await waitUntil(async () => opening.filter((c) => c.state.connected).length, (n) => n === 15);
    // The sixteenth: answered once, then left open and idle.
    const keptAlive = rawClient(serve.receiver);
    onTestFinished(() => void keptAlive.socket.destroy());
    keptAlive.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(async () => keptAlive.state.answer, (a) => a.includes('{"ok":true}'));

    const newcomer = rawClient(serve.receiver);
    onTestFinished(() => void newcomer.socket.destroy());
    await waitUntil(async () => keptAlive.state.closed, Boolean);
    newcomer.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(async () => newcomer.state.answer, (a) => a.includes('{"ok":true}'));
    expect(opening.filter((c) => c.state.closed)).toHaveLength(0);
  });

  it('cuts a client that drip-feeds its headers once the header timeout has passed', async () => {
    const { serve, hookUrl } = await servePackage(['--header-timeout', '1', '--request-timeout', '20']);
    const client = rawClient(serve.receiver);
    onTestFinished(() => void client.socket.destroy());
    client.socket.write(`POST ${new URL(hookUrl).pathname} HTTP/1.1\r\nHost: x\r\n`);
    let n = 0;
    const drip = setInterval(() => {
      if (!client.state.closed) client.socket.write(`X-Drip-${n++}: y\r\n`);
    }, 100);
    onTestFinished(() => clearInterval(drip));
    // Far sooner than the request timeout, and than Node's default 30 s check.
    await waitUntil(async () => client.state.closed, Boolean, 10_000);
    expect(client.state.answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a request whose body stalls once the request timeout has passed', async () => {
    const { serve, hookUrl } = await servePackage(['--header-timeout', '1', '--request-timeout', '2']);
    const client = rawClient(serve.receiver);
    onTestFinished(() => void client.socket.destroy());
    client.socket.write(
      `POST ${new URL(hookUrl).pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nContent-Length: 1000\r\n\r\n{"ref":"..`,
    );
    await waitUntil(async () => client.state.closed, Boolean, 10_000);
    expect(client.state.answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
