import pg from 'pg';

/** Advisory locks taken around provider work on one package: the first key says they are provider work's. */
const PROVIDER_LOCK_SPACE = 0x68_6b_70_76; // "hkpv"

/**
 * One provider operation per package at a time across every instance on the database (two
 * rotations racing on two instances would each delete the other's new hook), as createLocks
 * does within one process. The lock is held by a session of its own, not a pooled connection:
 * work under it queries through the pool, so waiting holders can never starve it of connections.
 * A holder that dies loses its session, and the server frees the lock.
 */
export function pgProviderLock(pool: pg.Pool) {
  return async function exclusive<T>(key: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const session = new pg.Client(pool.options);
    // A broken session frees its lock; the statement under way says why.
    session.on('error', () => undefined);
    await session.connect();
    // Closing the engine ends a wait at once.
    const giveUp = () => void session.end().catch(() => undefined);
    signal?.addEventListener('abort', giveUp, { once: true });
    try {
      if (signal?.aborted) throw new Error('Hookbench is closing.');
      await session.query('SELECT pg_advisory_lock($1, hashtext($2))', [PROVIDER_LOCK_SPACE, key]);
      signal?.removeEventListener('abort', giveUp);
      return await run();
    } finally {
      signal?.removeEventListener('abort', giveUp);
      await session.end().catch(() => undefined);
    }
  };
}
