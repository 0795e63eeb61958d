import { describe, expect, it } from 'vitest';
import { relayMark } from '../../src/main/engine/tunnel/relay-mark';

describe('where a tunnel gap would open if the process died now', () => {
  it('is before the earliest event still being stored, even when a later one was stored first, then at the last one stored', async () => {
    const marks: number[] = [];
    const mark = relayMark((at) => marks.push(at));
    let finishEarly!: () => void;
    const early = mark.storing(100, () => new Promise<void>((resolve) => (finishEarly = resolve)));
    await mark.storing(200, async () => undefined);
    // The later event is stored, the earlier one is not yet: dying now loses the earlier one.
    expect(marks.at(-1)).toBe(100);
    finishEarly();
    await early;
    expect(marks.at(-1)).toBe(200);
  });

  it('moves on past an event that could not be stored (it is not waiting anywhere) and ignores events without a relay time', async () => {
    const marks: number[] = [];
    const mark = relayMark((at) => marks.push(at));
    await expect(mark.storing(50, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await mark.storing(null, async () => undefined);
    expect(marks).toEqual([50, 50]);
  });
});
