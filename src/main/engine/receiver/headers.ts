/**
 * Request headers exactly as they arrived (Node's rawHeaders), with lookups that
 * notice repeats instead of silently joining them.
 */
export class HeaderList {
  constructor(readonly pairs: [string, string][]) {}

  static fromRaw(raw: string[]): HeaderList {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
    return new HeaderList(pairs);
  }

  static fromRecord(record: Record<string, string>): HeaderList {
    return new HeaderList(Object.entries(record));
  }

  all(name: string): string[] {
    const wanted = name.toLowerCase();
    return this.pairs.filter(([k]) => k.toLowerCase() === wanted).map(([, v]) => v);
  }

  get(name: string): string | undefined {
    return this.all(name)[0];
  }
}
