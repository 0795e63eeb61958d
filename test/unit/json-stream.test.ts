import { describe, expect, it } from 'vitest';
import { JsonStream } from '../../src/main/engine/replay/json-stream';

/** The text cut into pieces of `size` bytes, as a file stream might deliver it (cutting through characters too). */
async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function allValues(text: string, size: number): Promise<unknown[]> {
  const json = JsonStream.of(pieces(text, size));
  const values: unknown[] = [];
  while ((await json.peek()) >= 0) values.push(await json.value(1 << 20));
  return values;
}

const tricky = [
  { s: 'a "quoted" word', slash: '\\', both: '\\"', end: 'ends in a backslash \\' },
  ['\\\\"', '"', '', 'é — ✓ 😀', '\u0000\u001f'],
  { nested: [[[{ deep: [1, -2.5e3, true, false, null] }]]], 'key with } and ]': '{[' },
  12345,
  -0.5,
  true,
  null,
  'a string on its own',
  [],
  {},
];

describe('JsonStream', () => {
  it('reads every value whole however the text is cut into pieces', async () => {
    const text = tricky.map((v) => JSON.stringify(v)).join('\n') + '\n';
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(await allValues(text, size)).toEqual(tricky);
  });

  it('reads past a byte order mark at the start', async () => {
    expect(await allValues('\ufeff{"a": 1} [2]', 64)).toEqual([{ a: 1 }, [2]]);
  });

  it('walks an object key by key and an array item by item', async () => {
    const json = JsonStream.of(pieces('{"log": {"version": "1.2", "skip": {"big": [1,2,3]}, "entries": [{"a": 1}, {"b": "\\"]"}]}}', 3));
    expect(await json.open('{')).toBe(true);
    expect(await json.key()).toBe('log');
    expect(await json.open('{')).toBe(true);
    expect(await json.key()).toBe('version');
    expect(await json.value(100)).toBe('1.2');
    expect(await json.more('}')).toBe(true);
    expect(await json.key()).toBe('skip');
    expect(await json.value(100, true)).toBeUndefined();
    expect(await json.more('}')).toBe(true);
    expect(await json.key()).toBe('entries');
    expect(await json.open('[')).toBe(true);
    expect(await json.value(100)).toEqual({ a: 1 });
    expect(await json.more(']')).toBe(true);
    expect(await json.value(100)).toEqual({ b: '"]' });
    expect(await json.more(']')).toBe(false);
    expect(await json.more('}')).toBe(false);
    expect(await json.more('}')).toBe(false);
    expect(await json.peek()).toBe(-1);
  });

  it('says where the text stops being JSON, by line and column', async () => {
    await expect(allValues('{"a": 1}\n{"b": [1,,2]}\n', 4)).rejects.toThrow("line 2, column 10: Unexpected token ','");
    await expect(allValues('{"a": 1}\n  {"b": "open', 4)).rejects.toThrow('line 2, column 14: a string is not closed before the file ends');
    await expect(allValues('[1, 2', 2)).rejects.toThrow('the file ends inside a value');
    const json = JsonStream.of(pieces('{"entries": [,]}', 2));
    await json.open('{');
    await json.key();
    await json.open('[');
    await expect(json.value(100)).rejects.toThrow("line 1, column 14: expected a value but found ','");
  });

  it('refuses a value larger than asked before holding it all', async () => {
    const json = JsonStream.of(pieces(JSON.stringify({ body: 'x'.repeat(10_000) }), 1000));
    await expect(json.value(5000)).rejects.toThrow('line 1, column 1: a value larger than 5000 bytes');
  });
});
