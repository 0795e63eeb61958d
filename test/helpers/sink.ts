import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface SunkRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body: Buffer;
  header(name: string): string | undefined;
}

type Responder = (req: SunkRequest, n: number) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A real HTTP receiver on loopback that records every request and answers as told. */
export async function startSink(respond: Responder = () => ({ status: 200, body: 'ok' })) {
  const received: SunkRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const sunk: SunkRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks),
        header: (name) => headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
      };
      received.push(sunk);
      const answer = respond(sunk, received.length);
      if (answer === 'hang') hanging.add(res);
      else {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? '');
      }
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url,
    received,
    /** Resolves once this many requests have arrived. */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}
