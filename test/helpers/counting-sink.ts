import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface Arrival {
  messageId: string;
  remotePort: number;
  /** Which sender it came from, as `from` said when it arrived. */
  from: string;
  answered: boolean;
}

/**
 * A loopback endpoint for many senders at once: records each request's message id (the
 * Standard Webhooks `webhook-id`) and the port it came from, answers 200 after `latencyMs`
 * (a real endpoint takes a moment), counts the most requests it ever had open at once, and can
 * hold (never answer) the requests that `hold` picks.
 */
export async function startCountingSink(options: { latencyMs: number; from?: (remotePort: number) => string }) {
  const arrivals: Arrival[] = [];
  const held = new Set<ServerResponse>();
  let open = 0;
  let mostOpen = 0;
  let hold: (arrival: Arrival) => boolean = () => false;
  const waiters: { done: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.done()) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
  };
  const server = createServer((req, res) => {
    open++;
    mostOpen = Math.max(mostOpen, open);
    res.once('close', () => open--);
    req.resume();
    req.once('end', () => {
      const remotePort = req.socket.remotePort ?? 0;
      const arrival: Arrival = { messageId: String(req.headers['webhook-id'] ?? ''), remotePort, from: options.from?.(remotePort) ?? '', answered: false };
      arrivals.push(arrival);
      if (hold(arrival)) held.add(res);
      else
        setTimeout(() => {
          arrival.answered = true;
          res.writeHead(200).end('ok');
          check();
        }, options.latencyMs);
      check();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    arrivals,
    mostOpen: () => mostOpen,
    heldCount: () => held.size,
    /** From now on, requests this picks are held open and never answered. */
    holdWhen(pick: (arrival: Arrival) => boolean): void {
      hold = pick;
    },
    /** Resolves once the condition holds, checked as requests arrive and are answered. */
    until(done: () => boolean): Promise<void> {
      if (done()) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ done, resolve }));
    },
  };
}
