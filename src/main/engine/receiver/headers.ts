const NONE: readonly string[] = Object.freeze([]);

/**
 * Request headers exactly as they arrived (Node's rawHeaders), with lookups that
 * notice repeats instead of silently joining them.
 */
export class HeaderList {
  /** Values by lower-cased name, built on the first lookup: a delivery is looked up a dozen times. */
  #byName: Map<string, string[]> | null = null;

  constructor(readonly pairs: [string, string][]) {}

  static fromRaw(raw: string[]): HeaderList {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
    return new HeaderList(pairs);
  }

  static fromRecord(record: Record<string, string>): HeaderList {
    return new HeaderList(Object.entries(record));
  }

  /** Every value sent under this name, in order; the caller must not change the array. */
  all(name: string): readonly string[] {
    if (!this.#byName) {
      this.#byName = new Map();
      for (const [k, v] of this.pairs) {
        const key = k.toLowerCase();
        const values = this.#byName.get(key);
        if (values) values.push(v);
        else this.#byName.set(key, [v]);
      }
    }
    return this.#byName.get(name.toLowerCase()) ?? NONE;
  }

  get(name: string): string | undefined {
    return this.all(name)[0];
  }
}
