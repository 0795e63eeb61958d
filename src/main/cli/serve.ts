import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createControlServer } from '../engine/control/http-server';
import { createEngine } from '../engine';
import { saveAccess } from '../engine/receiver/access-settings';
import type { ReceiverLimits } from '../engine/receiver/limits';
import { setSetting } from '../engine/store/settings';
import type { Output } from './output';
import { receiverLimitOptions } from './serve-limits';
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
  };
}

/** The built renderer sits beside the built CLI: out/main/cli.js → out/renderer/. */
function builtUiDir(): string | null {
  const dir = fileURLToPath(new URL('../renderer/', import.meta.url));
  return existsSync(dir) ? dir : null;
}

export async function serve(options: ServeOptions, out: Output): Promise<void> {
  const engine = createEngine({ dataDir: options.dataDir, receiverLimits: options.limits });
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
  const receiverUrl = await engine.startReceiver({ host: options.receiverHost, port: options.receiverPort });
  const control = createControlServer({ invoke: engine.invoke, bus: engine.bus, uiDir: options.ui ? builtUiDir() : null });
  const { uiUrl } = await control.listen({ host: options.host, port: options.port });
  const resumed = engine.startWorkers();

  out.data({ ui: uiUrl, receiver: receiverUrl, dataDir: options.dataDir, pid: process.pid }, () =>
    [
      `Hookbench is running (data in ${options.dataDir}).`,
      `  UI:        ${uiUrl}`,
      `  Receiver:  ${receiverUrl}/hooks/<hook id>`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out.line('Stopping…');
  await control.close();
  await resumed.catch(() => undefined);
  await engine.close();
}
