import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface TargetRequest {
  method: string;
  path: string;
  /** As they arrived: order, case and repeats kept. */
  headers: [string, string][];
  body: Buffer;
}

type Answer = { status: number; headers?: [string, string][]; body?: string };

/**
 * A local app on loopback that forwards are sent to: records each request whole and answers
 * as `respond` says, at once or when its promise settles (a slow app).
 */
export async function startTarget(respond: (req: TargetRequest, n: number) => Answer | Promise<Answer> = () => ({ status: 200, body: 'ok' }), port = 0) {
  const received: TargetRequest[] = [];
  let answered = 0;
  const open = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const request = { method: req.method ?? '', path: req.url ?? '/', headers, body: Buffer.concat(chunks) };
      received.push(request);
      open.add(res);
      void Promise.resolve(respond(request, received.length)).then((answer) => {
        open.delete(res);
        if (res.destroyed) return;
        res.writeHead(answer.status, (answer.headers ?? []).flat());
        res.end(answer.body ?? '');
        answered++;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  onTestFinished(close);
  return {
    url,
    received,
    /** How many requests it has answered so far. */
    answered: () => answered,
    close,
  };
}

/** A loopback port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
