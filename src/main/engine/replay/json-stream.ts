import { isAscii } from 'node:buffer';
import { jsonErrorLocation } from './json-error';

/**
 * Reads JSON text from a stream of byte chunks one value at a time, so a file of any size
 * (a HAR or a bundle written on one line of hundreds of megabytes) is never held whole:
 * only the value being read is. The caller walks the outer structure (objects, arrays,
 * keys) step by step and takes each inner value whole, parsed by JSON.parse.
 *
 * Works on UTF-8 bytes: every byte JSON's structure depends on is ASCII, and no byte of a
 * multi-byte character can be mistaken for one. Positions are 1-based lines and columns
 * (columns count bytes, which are characters in the ASCII parts people edit by hand).
 */

export interface Place {
  line: number;
  column: number;
}

export class JsonStreamError extends Error {
  readonly at: Place;
  constructor(reason: string, at: Place) {
    super(`line ${at.line}, column ${at.column}: ${reason}`);
    this.at = at;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isDelimiter = (b: number) => isSpace(b) || b === 0x2c || b === 0x5d || b === 0x7d || b === 0x3a;

export class JsonStream {
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;
  private done = false;
  /** Bytes consumed before the current chunk. */
  private base = 0;
  private line = 1;
  /** Absolute offset where the current line starts. */
  private lineStart = 0;

  private readonly chunks: AsyncIterator<Buffer>;

  constructor(chunks: AsyncIterator<Buffer>) {
    this.chunks = chunks;
  }

  static of(source: AsyncIterable<Buffer | string>): JsonStream {
    const iterator = source[Symbol.asyncIterator]();
    let first = true;
    return new JsonStream({
      next: async () => {
        const r = await iterator.next();
        if (r.done) return r;
        let value = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        // Some tools save JSON with a byte order mark; it is not part of the text.
        if (first && value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf) value = value.subarray(3);
        first = false;
        return { done: false, value };
      },
    });
  }

  /** Where the next unread byte is. */
  place(): Place {
    return { line: this.line, column: this.base + this.at - this.lineStart + 1 };
  }

  fail(reason: string, at: Place = this.place()): never {
    throw new JsonStreamError(reason, at);
  }

  private async fill(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      if (this.done) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      this.base += this.chunk.length;
      this.chunk = next.value;
      this.at = 0;
    }
    return true;
  }

  /** The next byte that is not white space, left unread; -1 at the end of the text. */
  async peek(): Promise<number> {
    for (;;) {
      if (!(await this.fill())) return -1;
      const b = this.chunk[this.at]!;
      if (!isSpace(b)) return b;
      if (b === NEWLINE) {
        this.line++;
        this.lineStart = this.base + this.at + 1;
      }
      this.at++;
    }
  }

  /** Reads `char` (after white space) or fails naming what was found instead. */
  async expect(char: string): Promise<void> {
    const b = await this.peek();
    if (b !== char.charCodeAt(0)) this.fail(b < 0 ? `expected '${char}' but the file ends` : `expected '${char}' but found '${String.fromCharCode(b)}'`);
    this.at++;
  }

  /** After an item of an object or array: true if another follows (a comma was read), false at the closing bracket (read too). */
  async more(close: '}' | ']'): Promise<boolean> {
    const b = await this.peek();
    this.at++;
    if (b === 0x2c) return true;
    if (b === close.charCodeAt(0)) return false;
    this.at--;
    return this.fail(b < 0 ? `expected ',' or '${close}' but the file ends` : `expected ',' or '${close}' but found '${String.fromCharCode(b)}'`);
  }

  /** Opens an object or array: true if it has a first item, false if it was empty (and is now closed). */
  async open(char: '{' | '['): Promise<boolean> {
    await this.expect(char);
    const b = await this.peek();
    if (b === (char === '{' ? 0x7d : 0x5d)) {
      this.at++;
      return false;
    }
    return true;
  }

  /** An object's key and its colon. */
  async key(): Promise<string> {
    if ((await this.peek()) !== QUOTE) this.fail('expected a key in double quotes');
    const key = await this.value(64 * 1024);
    await this.expect(':');
    return key as string;
  }

  /**
   * The next value, whole. Text longer than `maxBytes` is refused before it is all in memory;
   * `skip` reads past the value without keeping it.
   */
  async value(maxBytes: number, skip = false): Promise<unknown> {
    const first = await this.peek();
    const start = this.place();
    if (first < 0) this.fail('expected a value but the file ends');
    if (first === 0x2c || first === 0x5d || first === 0x7d || first === 0x3a) this.fail(`expected a value but found '${String.fromCharCode(first)}'`);
    const scalar = first !== QUOTE && first !== 0x7b && first !== 0x5b;
    const pieces: Buffer[] = [];
    let size = 0;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let finished = false;
    while (!finished) {
      if (!(await this.fill())) {
        if (scalar) break;
        this.fail(inString ? 'a string is not closed before the file ends' : 'the file ends inside a value');
      }
      const chunk = this.chunk;
      const from = this.at;
      let i = from;
      while (i < chunk.length && !finished) {
        if (escaped) {
          escaped = false;
          i++;
        } else if (inString) {
          // Long strings (base64 bodies) are crossed by a native search rather than byte by byte.
          const q = chunk.indexOf(QUOTE, i);
          const slash = (q < 0 ? chunk.subarray(i) : chunk.subarray(i, q)).indexOf(BACKSLASH);
          if (slash >= 0) {
            i += slash + 1;
            escaped = true;
          } else if (q < 0) i = chunk.length;
          else {
            i = q + 1;
            inString = false;
            finished = depth === 0;
          }
        } else {
          const b = chunk[i]!;
          if (scalar) {
            if (isDelimiter(b)) finished = true;
            else i++;
            continue;
          }
          i++;
          if (b === QUOTE) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d) finished = --depth === 0;
          else if (b === NEWLINE) {
            this.line++;
            this.lineStart = this.base + i;
          }
        }
      }
      size += i - from;
      if (size > maxBytes) this.fail(`a value larger than ${maxBytes} bytes`, start);
      if (!skip) pieces.push(chunk.subarray(from, i));
      this.at = i;
    }
    if (skip) return undefined;
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size);
    // Most of an import is base64 and ASCII text, which needs no UTF-8 decoding.
    const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      const inside = jsonErrorLocation(text) ?? { line: 1, column: 1 };
      const at = inside.line === 1 ? { line: start.line, column: start.column + inside.column - 1 } : { line: start.line + inside.line - 1, column: inside.column };
      const reason = (error as Error).message
        .split('\n')[0]!
        .replace(/ in JSON at position \d+.*$/, '')
        .replace(/^(Unexpected token '.'), .*$/, '$1');
      return this.fail(reason, at);
    }
  }
}
