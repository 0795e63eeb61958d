import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createControlServer } from '../engine/control/http-server';
import { createEngine } from '../engine';
import { saveAccess } from '../engine/receiver/access-settings';
import type { ReceiverLimits } from '../engine/receiver/limits';
import { setSetting } from '../engine/store/settings';
import type { Output } from './output';
import { minFreeOption, receiverLimitOptions } from './serve-limits';
import { resolveExposure } from './serve-exposure';
import { UsageError } from './usage';

export interface ServeOptions {
  dataDir: string;
  host: string;
  port: number;
  receiverHost: string;
  receiverPort: number;
  ui: boolean;
  /** Direct mode: the public URL providers call (a reverse proxy or the user's own tunnel). */
  publicUrl?: string | undefined;
  allow?: string[] | undefined;
  trustProxies?: string[] | undefined;
  /** Connections, timeouts and what refused requests may cost. */
  limits: Partial<ReceiverLimits>;
  /** PEM files: the UI and control API over HTTPS. */
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** A reverse proxy in front terminates TLS: the control API is shared, named tokens only. */
  behindProxy: boolean;
  minFreeBytes?: number | undefined;
}

function port(value: string | string[] | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number (0 picks a free one).`);
  return n;
}

export function serveOptions(options: Record<string, string | string[] | boolean | undefined>, dataDir: string): ServeOptions {
  const str = (v: string | string[] | boolean | undefined, d: string) => (typeof v === 'string' ? v : d);
  return {
    dataDir,
    host: str(options.host, '127.0.0.1'),
    port: port(options.port, 7717, 'port'),
    receiverHost: str(options['receiver-host'], '127.0.0.1'),
    receiverPort: port(options['receiver-port'], 7718, 'receiver-port'),
    ui: options['no-ui'] !== true,
    publicUrl: typeof options['public-url'] === 'string' ? options['public-url'] : undefined,
    allow: Array.isArray(options.allow) ? options.allow : undefined,
    trustProxies: Array.isArray(options['trust-proxy']) ? options['trust-proxy'] : undefined,
    limits: receiverLimitOptions(options),
    tlsCert: typeof options['tls-cert'] === 'string' ? options['tls-cert'] : undefined,
    tlsKey: typeof options['tls-key'] === 'string' ? options['tls-key'] : undefined,
    behindProxy: options['behind-proxy'] === true,
    minFreeBytes: minFreeOption(options),
  };
}

/** The built renderer sits beside the built CLI: out/main/cli.js → out/renderer/. */
function builtUiDir(): string | null {
  const dir = fileURLToPath(new URL('../renderer/', import.meta.url));
  return existsSync(dir) ? dir : null;
}

/** A listener that could not bind, in words that say which one and what to change. */
function listenFailure(error: unknown, what: string, option: string, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return new Error(`The ${what} port ${where} is already in use (another Hookbench serve?); pick another with ${option}, or 0 for a free one.`);
  if (code === 'EACCES') return new Error(`Not allowed to listen on ${where} for the ${what}; pick a port above 1023 with ${option}.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new Error(`The ${what} cannot listen on ${where}: this machine has no such address.`);
  return error as Error;
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      // Everything acknowledged is already on disk, so a second signal can end the process at once.
      const force = () => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}

export async function serve(options: ServeOptions, out: Output): Promise<void> {
  // Checked before the data dir is opened: a refused start changes nothing.
  const exposure = resolveExposure(options.host, options);
  const engine = createEngine({
    dataDir: options.dataDir,
    requireSecrets: true,
    receiverLimits: options.limits,
    ...(options.minFreeBytes !== undefined ? { minFreeBytes: options.minFreeBytes } : {}),
  });
  const control = createControlServer({
    invoke: engine.invoke,
    bus: engine.bus,
    uiDir: options.ui ? builtUiDir() : null,
    access: engine.access,
    ops: engine.ops,
    behindProxy: options.behindProxy,
    ...(exposure.tls ? { tls: exposure.tls } : {}),
  });
  let receiverUrl: string;
  let uiUrl: string;
  // A start that fails part-way stops what did start: never a receiver acknowledging without the rest.
  try {
    if (options.publicUrl !== undefined) {
      if (!/^https?:\/\//.test(options.publicUrl)) throw new UsageError('--public-url must be an http(s) URL.');
      setSetting(engine.db, 'receiver.publicUrl', options.publicUrl.replace(/\/+$/, ''));
    }
    if (options.allow || options.trustProxies) {
      try {
        saveAccess(engine.db, { allow: options.allow, trustedProxies: options.trustProxies });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    // Once, before anything is acknowledged: the pause of rebuilding delays no one (see retention/vacuum.ts).
    const conversion = engine.prepareVacuum();
    if (conversion?.converted) out.line(`Converted the database so pruned space goes back to the volume (once, ${(conversion.ms / 1000).toFixed(1)} s).`);
    else if (conversion?.reason) out.line(`Pruned space stays inside the database for now: ${conversion.reason}.`);
    receiverUrl = await engine
      .startReceiver({ host: options.receiverHost, port: options.receiverPort })
      .catch((error: unknown) => Promise.reject(listenFailure(error, 'receiver', '--receiver-port', options.receiverHost, options.receiverPort)));
    ({ uiUrl } = await control
      .listen({ host: options.host, port: options.port, shared: exposure.shared })
      .catch((error: unknown) => Promise.reject(listenFailure(error, 'UI', '--port', options.host, options.port))));
  } catch (error) {
    await control.close();
    await engine.close();
    throw error;
  }
  const stopped = stopSignal();
  engine.startWorkers().catch((error: unknown) => process.emitWarning(`Resuming work failed: ${(error as Error).message}`));

  const noToken = exposure.shared && !(await engine.access.hasTokens());
  out.data({ ui: uiUrl, receiver: receiverUrl, dataDir: options.dataDir, pid: process.pid, shared: exposure.shared }, () =>
    [
      `Hookbench is running (data in ${options.dataDir}).`,
      `  UI:        ${uiUrl}${exposure.shared ? '   (shared: API tokens only)' : ''}`,
      `  Receiver:  ${receiverUrl}/hooks/<hook id>`,
      ...(noToken ? [`No API token exists yet: make one with "hookbench token create --name NAME --role admin --data-dir ${options.dataDir}".`] : []),
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );

  await stopped;
  out.line('Stopping…');
  // The receiver first: from here nothing new is acknowledged, and what was read is answered.
  await engine.receiver.close();
  await control.close();
  await engine.close();
}
