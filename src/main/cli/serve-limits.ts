import { DEFAULT_LIMITS, type ReceiverLimits } from '../engine/receiver/limits';
import { UsageError } from './usage';

type Values = Record<string, string | string[] | boolean | undefined>;

const last = (v: string | string[] | boolean | undefined): string | undefined => (Array.isArray(v) ? v.at(-1) : typeof v === 'string' ? v : undefined);

function whole(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = last(values[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}.`);
  return n;
}

function seconds(values: Values, name: string): number | undefined {
  const raw = last(values[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n < 0.1 || n > 3600) throw new UsageError(`--${name} takes seconds, from 0.1 to 3600.`);
  return Math.round(n * 1000);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

function bytes(values: Values, name: string, max: number): number | undefined {
  const raw = last(values[name]);
  if (raw === undefined) return undefined;
  const m = /^(\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isInteger(n) || n > max) throw new UsageError(`--${name} takes a size in bytes (e.g. 65536, 64KiB, 512MiB), at most ${max}.`);
  return n;
}

/** The receiver's limits as given on the `serve` command line; the rest keep their defaults. */
export function receiverLimitOptions(values: Values): Partial<ReceiverLimits> {
  const limits: Partial<ReceiverLimits> = {};
  const set = <K extends keyof ReceiverLimits>(key: K, value: ReceiverLimits[K] | undefined) => {
    if (value !== undefined) limits[key] = value;
  };
  set('maxConnections', whole(values, 'max-connections', 16, 1_000_000));
  set('maxConnectionsPerAddress', whole(values, 'max-connections-per-address', 1, 1_000_000));
  set('headersTimeoutMs', seconds(values, 'header-timeout'));
  set('requestTimeoutMs', seconds(values, 'request-timeout'));
  set('rejectedBodyLimit', bytes(values, 'rejected-body-limit', 25 * 1024 * 1024));
  set('bodyMemory', bytes(values, 'body-memory', 64 * 1024 ** 3));
  if (limits.bodyMemory !== undefined && limits.bodyMemory < 25 * 1024 ** 2) throw new UsageError('--body-memory must hold at least one 25 MiB body.');
  set('rejectionsPerWindow', whole(values, 'rejections-per-minute', 1, 1_000_000));
  // A request timeout alone below the default header timeout takes the header timeout down with it.
  if (limits.headersTimeoutMs !== undefined && limits.headersTimeoutMs > (limits.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs)) {
    throw new UsageError(`--header-timeout cannot be longer than --request-timeout (${(limits.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs) / 1000} s).`);
  }
  return limits;
}

/** serve --min-free SIZE: free space kept on the data dir's volume (0: only SQLite's own "disk full" refuses). */
export const minFreeOption = (values: Values): number | undefined => bytes(values, 'min-free', 2 ** 50);
