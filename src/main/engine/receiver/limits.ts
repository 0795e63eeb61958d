import type { ServerOptions } from 'node:http';
import { openFileLimit } from './open-file-limit';

/** How much a client may hold of the receiver: connections, time, and what a refusal keeps. */
export interface ReceiverLimits {
  /** Open connections in all; past it, an idle one makes room, or the newcomer is turned away. */
  maxConnections: number;
  /** Open connections from one address (trusted proxies excepted). */
  maxConnectionsPerAddress: number;
  /** Longest a client may take to send its request headers. */
  headersTimeoutMs: number;
  /** Longest a client may take to send its whole request. */
  requestTimeoutMs: number;
  /** Bytes of bodies read whole (signed requests) held in memory at once; a quarter of it per address. */
  bodyMemory: number;
  /** Bytes of a refused request's body kept for the debugger; the rest is counted, not stored. */
  rejectedBodyLimit: number;
  /** Refusals one address may earn in a window before it is answered 429 without a hearing. */
  rejectionsPerWindow: number;
  rejectionWindowMs: number;
  /** Longest an inbox told to hang holds a connection before closing it unanswered. */
  holdOpenMs: number;
}

/** File descriptors kept back for the database, the control API, outbound sends and logs. */
const RESERVED_FILES = 256;

export const DEFAULT_LIMITS: ReceiverLimits = {
  maxConnections: 4096,
  maxConnectionsPerAddress: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyMemory: 512 * 1024 * 1024,
  rejectedBodyLimit: 64 * 1024,
  rejectionsPerWindow: 60,
  rejectionWindowMs: 60_000,
  holdOpenMs: 300_000,
};

/** The defaults under any overrides, with the connection cap kept within the open-file limit. */
export function resolveLimits(overrides: Partial<ReceiverLimits> = {}, files: number | null = openFileLimit()): ReceiverLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  if (files !== null && Number.isFinite(files)) {
    limits.maxConnections = Math.max(16, Math.min(limits.maxConnections, files - RESERVED_FILES));
  }
  limits.maxConnectionsPerAddress = Math.min(limits.maxConnectionsPerAddress, limits.maxConnections);
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return limits;
}

/** Node's own server settings for these limits. */
export function serverOptionsFor(limits: ReceiverLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    // Node looks for overdue connections every 30 s unless told otherwise, which let a slow
    // sender hold a connection three times its timeout: look often enough to cut within a second.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** What a refused request keeps of its body: enough for the debugger, not enough to fill a disk. */
export function keptOfRefused(body: Buffer, limits: Pick<ReceiverLimits, 'rejectedBodyLimit'>): Buffer {
  return body.length > limits.rejectedBodyLimit ? Buffer.from(body.subarray(0, limits.rejectedBodyLimit)) : body;
}
