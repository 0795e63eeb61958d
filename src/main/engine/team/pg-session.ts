/**
 * Dedicated PostgreSQL sessions for coordination: an advisory lock and a LISTEN belong to one
 * session, so these are single clients kept open, never pooled connections handed back.
 */
import pg from 'pg';

/** Opens a new session (one per call); what the lock and the bridge are given, so tests can cut it. */
export type PgConnect = () => Promise<pg.Client>;

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The server ends a session whose peer vanished without closing (power loss, a cut network)
 * after about 5 + 2 × 3 s of silence, which frees its locks for the other instances.
 */
const SERVER_KEEPALIVES = '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3';

export function pgSessions(url: string, purpose: string): PgConnect {
  return async () => {
    const client = new pg.Client({
      connectionString: url,
      application_name: `hookbench ${purpose}`.slice(0, 63),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      options: SERVER_KEEPALIVES,
    });
    // Until watchSession takes over, a dropped session must not take the process down.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await endSession(client);
      throw error;
    }
    return client;
  };
}

export interface SessionWatch {
  /** Between liveness queries; 0: only the session's own error and end events are watched. */
  heartbeatMs: number;
  /** Called once, the first time the session is known to be gone. */
  onDown(reason: string): void;
}

/**
 * Notices a session that broke: an error, its end (pg_terminate_backend, a server restart), or
 * a heartbeat query unanswered in time (a network that drops packets without closing).
 * Returns the function that stops watching.
 */
export function watchSession(client: pg.Client, watch: SessionWatch): () => void {
  let done = false;
  let probing = false;
  const down = (reason: string) => {
    if (done) return;
    stop();
    watch.onDown(reason);
  };
  const onError = (error: Error) => down(error.message);
  const onEnd = () => down('the session ended');
  client.on('error', onError);
  client.on('end', onEnd);
  const timer =
    watch.heartbeatMs > 0
      ? setInterval(() => {
          if (probing) return;
          probing = true;
          client
            .query({ text: 'SELECT 1', query_timeout: Math.max(3 * watch.heartbeatMs, 3_000) } as pg.QueryConfig)
            .then(
              () => undefined,
              (error: Error) => down(`no answer to a liveness query: ${error.message}`),
            )
            .finally(() => (probing = false));
        }, watch.heartbeatMs)
      : null;
  timer?.unref();
  function stop(): void {
    done = true;
    if (timer) clearInterval(timer);
    client.off('error', onError);
    client.off('end', onEnd);
  }
  return stop;
}

/** Ends a session without waiting long on one whose connection is already broken. */
export async function endSession(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1_000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
