import type { ServerResponse } from 'node:http';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';

/** What the operations endpoints read; the engine provides it. */
export interface Ops {
  readiness(): Readiness | Promise<Readiness>;
  metrics: Metrics;
}

export const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * GET /healthz: the process answers. GET /readyz: it can serve (database reachable, schema
 * applied), 503 otherwise. GET /metrics: Prometheus text.
 */
export async function serveOps(ops: Ops | undefined, path: string, res: ServerResponse): Promise<void> {
  const send = (status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (status: number, body: unknown) => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
  if (path === '/healthz') return json(200, { ok: true });
  if (!ops) return json(404, { error: { code: 'not_found', message: 'This server has no operations endpoints.' } });
  if (path === '/readyz') {
    const readiness = await ops.readiness();
    return json(readiness.ready ? 200 : 503, readiness);
  }
  send(200, ops.metrics.contentType, await ops.metrics.text());
}
