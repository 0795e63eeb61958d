/**
 * One provider operation per package at a time in this process: two rotations racing
 * would each delete the other's new hook.
 */
export function createLocks() {
  const tails = new Map<string, Promise<unknown>>();
  return function withLock<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(run);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export type WithLock = ReturnType<typeof createLocks>;
