import { once } from 'node:events';
import { isoTime } from '../../shared/dates';

export interface Output {
  json: boolean;
  /** Prints data: JSON when --json, else the human rendering. */
  data(value: unknown, human: () => string): void;
  line(text: string): void;
  /** Writes as it comes (a streamed list), waiting while the reader is behind so memory stays flat. */
  stream(text: string): Promise<void>;
}

const toStdout = (text: string): boolean => process.stdout.write(text);

export function createOutput(json: boolean, write: (text: string) => boolean | void = toStdout): Output {
  return {
    json,
    data(value, human) {
      write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
    },
    line(text) {
      if (!json) write(text + '\n');
    },
    async stream(text) {
      if (write(text) === false) await once(process.stdout, 'drain');
    },
  };
}

const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v).replace(/[\r\n\t]/g, ' '));

/** Column widths taken from the rows given (at most 60), kept for every row formatted after. */
export function tableLayout(sample: Record<string, unknown>[], columns: string[]) {
  const widths = columns.map((c) => Math.min(60, Math.max(c.length, ...sample.map((r) => cell(r[c]).length))));
  const fmt = (values: string[]) => values.map((v, i) => v.slice(0, 60).padEnd(widths[i]!)).join('  ').trimEnd();
  return {
    header: fmt(columns.map((c) => c.toUpperCase())),
    row: (r: Record<string, unknown>) => fmt(columns.map((c) => cell(r[c]))),
  };
}

/** Left-aligned columns; values are shown as text, never interpreted. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const layout = tableLayout(rows, columns);
  return [layout.header, ...rows.map(layout.row)].join('\n');
}

export const time = (ms: number | null) => (ms === null ? '-' : isoTime(ms));
