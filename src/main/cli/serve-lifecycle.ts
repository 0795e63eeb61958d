import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Access } from '../engine/access/access';
import type { EngineBus } from '../engine/bus';
import type { Prerender } from '../engine/control/first-screen-page';
import { createControlServer } from '../engine/control/http-server';
import type { Invoke } from '../engine/control/handlers';
import type { Ops } from '../engine/ops/routes';
import type { ReceiverListenOptions } from '../engine/receiver/server';
import type { Output } from './output';
import type { Exposure } from './serve-exposure';
import { UsageError } from './usage';

/** What `serve` runs, on a data dir or on a team server's database. */
export interface ServedEngine {
  invoke: Invoke;
  bus: EngineBus;
  access: Access;
  ops: Ops;
  receiver: { close(): Promise<void> };
  startReceiver(listen: ReceiverListenOptions): Promise<string>;
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface ListenAt {
  host: string;
  port: number;
  receiverHost: string;
  receiverPort: number;
  ui: boolean;
  behindProxy: boolean;
}

export interface ServedSummary {
  /** What the JSON output says beside the addresses. */
  data: Record<string, unknown>;
  /** The first line: where the data is. */
  heading: string;
  /** Shown when the server is shared and no named token exists yet. */
  makeToken: string;
}

/** --public-url, checked: where providers reach the receiver (a proxy, a load balancer). */
export function publicUrlOption(value: string): string {
  if (!/^https?:\/\//.test(value)) throw new UsageError('--public-url must be an http(s) URL.');
  return value.replace(/\/+$/, '');
}

/** The built renderer sits beside the built CLI: out/main/cli.js → out/renderer/. */
function builtUiDir(): string | null {
  const dir = fileURLToPath(new URL('../renderer/', import.meta.url));
  return existsSync(dir) ? dir : null;
}

/** The window's first screen rendered here (out/main/first-paint.js, built from the renderer), when the build has it. */
async function loadPrerender(): Promise<Prerender | null> {
  const file = fileURLToPath(new URL('./first-paint.js', import.meta.url));
  if (!existsSync(file)) return null;
  try {
    return ((await import(pathToFileURL(file).href)) as { prerenderFirstScreen: Prerender }).prerenderFirstScreen;
  } catch (error) {
    process.emitWarning(`The first screen will not be prerendered: ${(error as Error).message}`);
    return null;
  }
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
      // Everything acknowledged is already durable, so a second signal can end the process at once.
      const force = () => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}

/**
 * Listens (the receiver, then the UI and control API), resumes the engine's work, says where it
 * runs, and on SIGINT/SIGTERM stops in order. `prepare` runs before anything listens. A start
 * that fails part-way stops what did start: never a receiver acknowledging without the rest.
 */
export async function runServer(engine: ServedEngine, at: ListenAt, exposure: Exposure, summary: ServedSummary, out: Output, prepare: () => void = () => undefined): Promise<void> {
  const uiDir = at.ui ? builtUiDir() : null;
  const control = createControlServer({
    invoke: engine.invoke,
    bus: engine.bus,
    uiDir,
    prerender: uiDir ? await loadPrerender() : null,
    access: engine.access,
    ops: engine.ops,
    behindProxy: at.behindProxy,
    ...(exposure.tls ? { tls: exposure.tls } : {}),
  });
  let receiverUrl: string;
  let uiUrl: string;
  try {
    prepare();
    receiverUrl = await engine
      .startReceiver({ host: at.receiverHost, port: at.receiverPort })
      .catch((error: unknown) => Promise.reject(listenFailure(error, 'receiver', '--receiver-port', at.receiverHost, at.receiverPort)));
    ({ uiUrl } = await control
      .listen({ host: at.host, port: at.port, shared: exposure.shared })
      .catch((error: unknown) => Promise.reject(listenFailure(error, 'UI', '--port', at.host, at.port))));
  } catch (error) {
    await control.close();
    await engine.close();
    throw error;
  }
  const stopped = stopSignal();
  engine.startWorkers().catch((error: unknown) => process.emitWarning(`Resuming work failed: ${(error as Error).message}`));

  const noToken = exposure.shared && !(await engine.access.hasTokens());
  out.data({ ui: uiUrl, receiver: receiverUrl, ...summary.data, pid: process.pid, shared: exposure.shared }, () =>
    [
      summary.heading,
      `  UI:        ${uiUrl}${exposure.shared ? '   (shared: API tokens only)' : ''}`,
      `  Receiver:  ${receiverUrl}/hooks/<hook id>`,
      ...(noToken ? [summary.makeToken] : []),
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
