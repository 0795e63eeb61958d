/**
 * Singleton roles on a shared PostgreSQL database: the holder is whoever holds a session-level
 * advisory lock on the role's key. The lock lives as long as the holder's session, so when the
 * holder dies its session ends, the server frees the lock, and a waiting instance (trying again
 * every retryMs) takes the role over within seconds. A holder whose session breaks stops the
 * role at once and queues up again like any other instance.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { RoleCallbacks, RoleHandle, RoleLock, RoleName } from './role-lock';
import { endSession, watchSession, type PgConnect } from './pg-session';

export interface PgRoleLockOptions {
  /** A new dedicated session per call (see pg-session.ts). */
  connect: PgConnect;
  /** How often an instance without the role tries to take it (default 1 s). */
  retryMs?: number;
  /** How often the holder checks that its session is still alive (default 1 s). */
  heartbeatMs?: number;
  /** A hold that broke, a session that could not be opened: worth a line in the log. */
  warn?: (message: string) => void;
}

/**
 * The advisory lock key of a role: the first 8 bytes of a SHA-256 of its name, as a signed
 * bigint in decimal. Stable across versions and processes; the prefix keeps it clear of keys
 * other software on the same database may derive from short names.
 */
export function roleKey(role: string): string {
  const digest = createHash('sha256').update(`hookbench role:${role}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export function createPgRoleLock(options: PgRoleLockOptions): RoleLock {
  const retryMs = options.retryMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  return { hold: (role, callbacks) => holdRole(role, callbacks, { connect: options.connect, retryMs, heartbeatMs, warn }) };
}

interface HoldSettings {
  connect: PgConnect;
  retryMs: number;
  heartbeatMs: number;
  warn: (message: string) => void;
}

function holdRole(role: RoleName, callbacks: RoleCallbacks, settings: HoldSettings): RoleHandle {
  const key = roleKey(role);
  let session: pg.Client | null = null;
  let unwatch: (() => void) | null = null;
  let holding = false;
  let released = false;
  let retry: NodeJS.Timeout | null = null;
  /** While the database cannot be asked, that is said once, not every second. */
  let unreachable = false;
  /** Taking, losing and releasing the role happen one at a time, in order. */
  let turn: Promise<void> = Promise.resolve();
  const inTurn = (step: () => Promise<void>): Promise<void> => {
    turn = turn.then(step).catch((error: unknown) => settings.warn(`The ${role} role: ${(error as Error).message}`));
    return turn;
  };

  function tryAgainLater(): void {
    if (released || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void inTurn(tryToTake);
    }, settings.retryMs);
    retry.unref();
  }

  async function dropSession(): Promise<void> {
    unwatch?.();
    unwatch = null;
    const old = session;
    session = null;
    if (old) await endSession(old);
  }

  async function stopRole(): Promise<void> {
    if (!holding) return;
    holding = false;
    await callbacks.onLost();
  }

  async function tryToTake(): Promise<void> {
    if (released || holding) return;
    try {
      if (!session) {
        const opened = await settings.connect();
        session = opened;
        unwatch = watchSession(opened, { heartbeatMs: settings.heartbeatMs, onDown: (reason) => void inTurn(() => lose(opened, reason)) });
      }
      const { rows } = await session.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS held', [key]);
      unreachable = false;
      if (rows[0]?.held && !released) {
        holding = true;
        // Held is held: a role that fails to start says so, and keeps the lock until it is released or lost.
        await Promise.resolve()
          .then(() => callbacks.onAcquired())
          .catch((error: unknown) => settings.warn(`The ${role} role did not start: ${(error as Error).message}`));
        return;
      }
    } catch (error) {
      if (!unreachable) settings.warn(`Could not ask for the ${role} role: ${(error as Error).message}; asking again every ${settings.retryMs} ms.`);
      unreachable = true;
      await dropSession();
    }
    tryAgainLater();
  }

  /** The session carrying the lock broke: the server frees the lock, so the role stops here now. */
  async function lose(broken: pg.Client, reason: string): Promise<void> {
    if (session !== broken) return;
    if (holding) settings.warn(`Stopped the ${role} role: its database session broke (${reason}).`);
    await stopRole();
    await dropSession();
    tryAgainLater();
  }

  void inTurn(tryToTake);
  return {
    holding: () => holding,
    async release() {
      released = true;
      if (retry) clearTimeout(retry);
      retry = null;
      // Stopped before the session ends, so the next holder never overlaps this one.
      await inTurn(async () => {
        await stopRole();
        await dropSession();
      });
    },
  };
}
