import type { Server, ServerResponse } from 'node:http';

/** How long requests already being read get to finish once the receiver is closing. */
export const DEFAULT_CLOSE_GRACE_MS = 3_000;

/**
 * Stopping a receiver that is under load. Closing the listening socket alone is not enough:
 * keep-alive connections go on sending, and each new request on them would be acknowledged.
 * So once closing starts, requests already read are answered with `Connection: close`, new
 * requests on open connections get 503 (nothing stored, the sender retries later), idle
 * connections are closed, and whatever is still open after the grace period is cut.
 */
export function createShutdown(server: Server) {
  let closing: Promise<void> | null = null;
  const answering = new Set<ServerResponse>();

  return {
    /** Lets a request through, or answers it 503 itself when the receiver is closing. */
    admit(res: ServerResponse): boolean {
      if (closing) {
        const text = JSON.stringify({ error: 'shutting_down' });
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'retry-after': '10', connection: 'close' });
        res.end(text);
        return false;
      }
      answering.add(res);
      res.once('close', () => answering.delete(res));
      return true;
    },
    close(graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        for (const res of answering) if (!res.headersSent) res.shouldKeepAlive = false;
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
