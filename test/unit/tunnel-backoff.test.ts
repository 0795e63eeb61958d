import { describe, expect, it } from 'vitest';
import { createBackoff, DEFAULT_BACKOFF_MAX_MS } from '../../src/main/engine/tunnel/backoff';

describe('tunnel reconnect backoff', () => {
  it('retries at once after a drop, then in short jittered steps that never pass the cap, however long smee refuses', () => {
    const longest = createBackoff({}, () => 1);
    const shortest = createBackoff({}, () => 0);
    const long = Array.from({ length: 40 }, () => longest.failed());
    const short = Array.from({ length: 40 }, () => shortest.failed());
    expect(long[0]).toBe(0);
    expect(short[0]).toBe(0);
    expect(long.slice(1, 5)).toEqual([100, 200, 400, 800]);
    expect(Math.max(...long)).toBe(DEFAULT_BACKOFF_MAX_MS);
    expect(DEFAULT_BACKOFF_MAX_MS).toBeLessThanOrEqual(1_000);
    // Jitter: half to all of the step.
    expect(short.slice(1, 5)).toEqual([50, 100, 200, 400]);
  });

  it('starts over after a stream that stayed up', () => {
    const backoff = createBackoff({}, () => 1);
    for (let i = 0; i < 10; i++) backoff.failed();
    expect(backoff.failures).toBe(10);
    backoff.succeeded();
    expect(backoff.failed()).toBe(0);
    expect(backoff.failed()).toBe(100);
  });
});
