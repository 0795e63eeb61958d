/**
 * The plumbing the fake provider APIs share: a real HTTP server on loopback, a request
 * log, JSON bodies, and fault injection (answer the next matching request with a given
 * status, or hold it until the test lets it through).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Path below the API prefix, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Fault {
  method: string;
  path: RegExp;
  answer?: FakeAnswer;
  hold?: { reached: () => void; released: Promise<void> };
}

export interface Held {
  /** Resolves once a matching request has arrived and is being held. */
  reached: Promise<void>;
  release(): void;
}

export async function startFakeServer(prefix: string, handle: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>) {
  const log: FakeRequest[] = [];
  const faults: Fault[] = [];

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex((f) => f.method === method && f.path.test(path));
    return i === -1 ? undefined : faults.splice(i, 1)[0];
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // kept as text
        }
        const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
        const request: FakeRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body };
        log.push(request);
        let answer: FakeAnswer;
        if (!url.pathname.startsWith(prefix)) answer = { status: 404, body: { message: 'Not Found' } };
        else {
          const fault = takeFault(request.method, path);
          if (fault?.hold) {
            fault.hold.reached();
            await fault.hold.released;
          }
          answer = fault?.answer ?? (await handle(request));
        }
        const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
        res.writeHead(answer.status, { ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...answer.headers });
        res.end(payload);
      })().catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake crashed: ${(error as Error).message}` }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    log,
    /** The next request matching answers this instead of the real thing. */
    failNext(method: string, path: RegExp, answer: FakeAnswer): void {
      faults.push({ method, path, answer });
    },
    /** The next request matching waits until released, then is answered normally. */
    hold(method: string, path: RegExp): Held {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const released = new Promise<void>((r) => (release = r));
      faults.push({ method, path, hold: { reached, released } });
      return { reached: reachedP, release };
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

export type FakeServer = Awaited<ReturnType<typeof startFakeServer>>;

export const paramsOf = (pattern: RegExp, path: string): (string | undefined)[] | null => {
  const m = pattern.exec(path);
  return m ? m.slice(1).map((v) => (v === undefined ? undefined : decodeURIComponent(v))) : null;
};
