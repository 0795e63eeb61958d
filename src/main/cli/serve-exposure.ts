import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '../engine/control/http-server';
import { UsageError } from './usage';

export interface Exposure {
  /** Reached by others (beyond loopback, or through a proxy): named tokens only. */
  shared: boolean;
  tls?: { cert: Buffer; key: Buffer };
}

function readPem(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`${option} ${path} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * How the control API may be reached. Beyond loopback it carries tokens and every secret-bearing
 * answer over the network, so it needs TLS of its own (--tls-cert/--tls-key) or a proxy in front
 * that terminates it (--behind-proxy); it refuses to start otherwise.
 */
export function resolveExposure(host: string, options: { tlsCert?: string | undefined; tlsKey?: string | undefined; behindProxy: boolean }): Exposure {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both (PEM files).');
  const tls = options.tlsCert !== undefined && options.tlsKey !== undefined ? { cert: readPem(options.tlsCert, '--tls-cert'), key: readPem(options.tlsKey, '--tls-key') } : undefined;
  const beyondLoopback = !isLoopbackHost(host);
  if (beyondLoopback && !tls && !options.behindProxy) {
    throw new UsageError(
      `--host ${host} is refused: it puts the UI and control API beyond loopback, where API tokens would cross the network in clear; ` +
        'serve it over HTTPS with --tls-cert FILE --tls-key FILE, or add --behind-proxy when a reverse proxy in front of it terminates TLS.',
    );
  }
  return { shared: beyondLoopback || options.behindProxy, ...(tls ? { tls } : {}) };
}
