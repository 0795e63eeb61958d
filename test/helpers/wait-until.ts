import { setTimeout as delay } from 'node:timers/promises';

/** Polls a condition in another process's state until it holds; fails with the last value seen. */
export async function waitUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await delay(50);
    last = await probe();
  }
  return last;
}
