import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { githubHeaders, githubTagPush } from './payloads';

export interface LoadAnswer {
  delivery: string;
  status: number | null;
  /** The receiver's delivery row id, when it acknowledged. */
  rowId: number | null;
  ms: number;
  error?: string;
}

function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Steady receiver load as a provider makes it: signed GitHub tag pushes at a fixed rate,
 * each request on its own schedule (a slow answer does not slow the next request down),
 * every answer recorded with its time.
 */
export function startDeliveryLoad(hookUrl: string, secret: string, repoId: number, perSecond: number) {
  const url = new URL(hookUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const answers: LoadAnswer[] = [];
  const outstanding = new Set<Promise<void>>();
  let seq = 0;
  const fire = () => {
    const delivery = randomUUID();
    const body = JSON.stringify(githubTagPush(repoId, `v9.${seq++}.0`));
    const started = performance.now();
    const job = githubHeaders('push', body, secret, delivery)
      .then((headers) => post(agent, url, body, headers))
      .then(
        ({ status, text }) => {
          const rowId = status >= 200 && status < 300 ? ((JSON.parse(text) as { delivery?: number }).delivery ?? null) : null;
          answers.push({ delivery, status, rowId, ms: performance.now() - started });
        },
        (error: Error) => {
          answers.push({ delivery, status: null, rowId: null, ms: performance.now() - started, error: error.message });
        },
      )
      .finally(() => outstanding.delete(job));
    outstanding.add(job);
  };
  const timer = setInterval(fire, 1000 / perSecond);
  return {
    answers,
    async stop(): Promise<LoadAnswer[]> {
      clearInterval(timer);
      while (outstanding.size > 0) await Promise.all([...outstanding]);
      agent.destroy();
      return answers;
    },
  };
}
