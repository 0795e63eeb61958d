import { isoTime } from '../../shared/dates';

export interface Output {
  json: boolean;
  /** Prints data: JSON when --json, else the human rendering. */
  data(value: unknown, human: () => string): void;
  line(text: string): void;
}

export function createOutput(json: boolean, write: (text: string) => void = (t) => process.stdout.write(t)): Output {
  return {
    json,
    data(value, human) {
      write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
    },
    line(text) {
      if (!json) write(text + '\n');
    },
  };
}

/** Left-aligned columns; values are shown as text, never interpreted. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v).replace(/[\r\n\t]/g, ' '));
  const widths = columns.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const fmt = (values: string[]) => values.map((v, i) => v.slice(0, 60).padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(columns.map((c) => c.toUpperCase())), ...rows.map((r) => fmt(columns.map((c) => cell(r[c]))))].join('\n');
}

export const time = (ms: number | null) => (ms === null ? '-' : isoTime(ms));
