import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/renderer/src/lib/coalesce';

describe('coalesced reloads', () => {
  it('turns a burst of calls during one run into a single run after it, and settles every caller after that', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const load = coalesce(async () => {
      runs++;
      await new Promise<void>((r) => (release = r));
    });
    const first = load();
    const burst = Array.from({ length: 50 }, () => load());
    expect(runs).toBe(1);
    release();
    // The follow-up run starts once the first ends.
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(2);
    release();
    await Promise.all([first, ...burst]);
    expect(runs).toBe(2);
    // Idle again: the next call runs at once.
    const later = load();
    expect(runs).toBe(3);
    release();
    await later;
  });
});
