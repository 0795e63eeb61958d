import { createEngine } from '../engine';
import { saveAccess } from '../engine/receiver/access-settings';
import type { ReceiverLimits } from '../engine/receiver/limits';
import { setSetting } from '../engine/store/settings';
import type { Output } from './output';
import { minFreeOption, receiverLimitOptions } from './serve-limits';
import { resolveExposure } from './serve-exposure';
import { publicUrlOption, runServer } from './serve-lifecycle';
import { databaseUrl } from './dispatch-command';
import { teamServe } from './team-serve';
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
  /** A team server's PostgreSQL database (--database or HOOKBENCH_DATABASE_URL) instead of the data dir. */
  database?: string | null;
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
    database: databaseUrl(typeof options.database === 'string' ? options.database : undefined),
  };
}

export async function serve(options: ServeOptions, out: Output): Promise<void> {
  // Checked before the data dir is opened: a refused start changes nothing.
  const exposure = resolveExposure(options.host, options);
  if (options.database) return teamServe(options, options.database, exposure, out);
  const engine = createEngine({
    dataDir: options.dataDir,
    requireSecrets: true,
    receiverLimits: options.limits,
    ...(options.minFreeBytes !== undefined ? { minFreeBytes: options.minFreeBytes } : {}),
  });
  const summary = {
    data: { dataDir: options.dataDir },
    heading: `Hookbench is running (data in ${options.dataDir}).`,
    makeToken: `No API token exists yet: make one with "hookbench token create --name NAME --role admin --data-dir ${options.dataDir}".`,
  };
  await runServer(engine, options, exposure, summary, out, () => {
    if (options.publicUrl !== undefined) setSetting(engine.db, 'receiver.publicUrl', publicUrlOption(options.publicUrl));
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
  });
}
