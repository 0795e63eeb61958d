import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal smee server for the browser tests: `GET /new` redirects to a fresh channel,
 * `GET /<channel>` streams its events (ready, then pings), `POST /<channel>` relays a JSON
 * body with the request's headers and query, as smee does.
 *
 * (test/helpers/fake-smee.ts is the full one, but it registers its cleanup with vitest's
 * onTestFinished, which throws outside a vitest test.)
 */
export async function startSmee(pingMs = 1000) {
  const streams = new Map<ServerResponse, string>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://smee.local');
    if (req.method === 'GET' && url.pathname === '/new') {
      res.writeHead(307, { location: `http://${req.headers.host}/${randomBytes(12).toString('base64url')}` });
      res.end();
      return;
    }
    const channel = /^\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
    if (!channel) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('event: ready\ndata: {}\n\n');
      streams.set(res, channel);
      res.on('close', () => streams.delete(res));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const data = { ...req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, query: Object.fromEntries(url.searchParams), timestamp: Date.now() };
      for (const [stream, ch] of streams) if (ch === channel) stream.write(`data: ${JSON.stringify(data)}\n\n`);
      res.writeHead(200);
      res.end();
    });
  });
  const pinger = setInterval(() => {
    for (const stream of streams.keys()) stream.write('event: ping\ndata: {}\n\n');
  }, pingMs);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streams: () => streams.size,
    async close() {
      clearInterval(pinger);
      for (const s of streams.keys()) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
