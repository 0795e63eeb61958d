import { createReadStream } from 'node:fs';
import type { z } from 'zod';
import { BUNDLE_FORMAT } from './export';
import { bundleHeader, bundleRecord, describeIssues, harEntry, ImportError, type BundleRecord, type HarEntry } from './import-records';
import { JsonStream, JsonStreamError, type Place } from './json-stream';

/**
 * Reads an import file a record at a time, whatever its layout, and checks each record
 * as it comes. Only the record being read is in memory, so neither a million records nor
 * a file written on one line can exhaust it. Three layouts are read:
 * - a Hookbench bundle: its header, then one record per line (as `export --format json`
 *   writes it), or the same values with any other spacing, all on one line included;
 * - the same bundle as one JSON array: the header first, then the records;
 * - a HAR file, whose `log.entries` are read one entry at a time.
 */

export type SourceRecord = { format: 'bundle'; record: BundleRecord } | { format: 'har'; entry: HarEntry };

/** The largest single record read: a body at the receiver's limit, base64 or escaped, with its headers. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** Anything else in the file (a HAR's creator, pages, comments) is read up to this size, or skipped. */
const SMALL = 1024 * 1024;
const CHUNK = 1024 * 1024;

const refused = (path: string, what: string) => new ImportError(`${path} ${what}; nothing was imported.`);

function checked<T>(schema: z.ZodType<T>, value: unknown, onIssues: (issues: string) => never, prefix = ''): T {
  const result = schema.safeParse(value);
  return result.success ? result.data : onIssues(describeIssues(result.error, prefix));
}

/** "line 3" for a record alone on its line (as bundles are written), else the record's number and where it starts. */
function recordPlace(n: number, at: Place): string {
  return at.column === 1 ? `line ${at.line}` : `record ${n} (line ${at.line}, column ${at.column})`;
}

async function* bundleRecords(path: string, json: JsonStream, inArray: boolean): AsyncGenerator<SourceRecord> {
  let n = 0;
  for (;;) {
    if (inArray) {
      if (!(await json.more(']'))) break;
    } else if ((await json.peek()) < 0) return;
    const at = json.place();
    const value = await json.value(MAX_RECORD_BYTES);
    n++;
    const record = checked(bundleRecord, value, (issues) => {
      throw refused(path, `${recordPlace(n, at)}: ${issues}`);
    });
    yield { format: 'bundle', record };
  }
  if ((await json.peek()) >= 0) json.fail('expected the end of the file after the bundle');
}

async function* harEntries(path: string, json: JsonStream): AsyncGenerator<SourceRecord> {
  let version: unknown;
  let sawEntries = false;
  if (await json.open('{')) {
    do {
      const key = await json.key();
      if (key === 'version') version = await json.value(SMALL);
      else if (key === 'entries' && (await json.peek()) === 0x5b) {
        sawEntries = true;
        let i = 0;
        if (await json.open('[')) {
          do {
            const entry = checked(
              harEntry,
              await json.value(MAX_RECORD_BYTES),
              (issues) => {
                throw refused(path, `is not a HAR file Hookbench can read: ${issues}`);
              },
              `log.entries[${i}]`,
            );
            yield { format: 'har', entry };
            i++;
          } while (await json.more(']'));
        }
      } else await json.value(MAX_RECORD_BYTES, true);
    } while (await json.more('}'));
  }
  if (typeof version !== 'string') throw refused(path, 'is not a HAR file Hookbench can read: log.version: expected a string');
  if (!sawEntries) throw refused(path, 'is not a HAR file Hookbench can read: log.entries: expected an array');
}

async function* layout(path: string, json: JsonStream, onFormat: (format: SourceRecord['format']) => void): AsyncGenerator<SourceRecord> {
  const first = await json.peek();
  if (first === 0x5b) {
    await json.expect('[');
    const header = await json.value(SMALL);
    checked(bundleHeader, header, (issues) => {
      throw refused(path, `is not a Hookbench bundle: its first item: ${issues}`);
    });
    onFormat('bundle');
    yield* bundleRecords(path, json, true);
    return;
  }
  if (first !== 0x7b) throw refused(path, 'is neither a HAR file nor a Hookbench bundle (it does not start with a JSON object or array)');
  // The first object is either a bundle's header or a whole HAR document: its keys tell.
  const header: Record<string, unknown> = {};
  let isHar = false;
  if (await json.open('{')) {
    do {
      const key = await json.key();
      if (key === 'log' && !isHar) {
        if ((await json.peek()) !== 0x7b) throw refused(path, 'is not a HAR file Hookbench can read: log: expected an object');
        isHar = true;
        onFormat('har');
        yield* harEntries(path, json);
      } else header[key] = await json.value(SMALL);
    } while (await json.more('}'));
  }
  if (isHar) {
    if ((await json.peek()) >= 0) json.fail('expected the end of the file after the HAR document');
    return;
  }
  if (header.format !== BUNDLE_FORMAT) throw refused(path, 'is neither a HAR file (no "log") nor a Hookbench bundle (no "format": "hookbench-bundle" header)');
  checked(bundleHeader, header, (issues) => {
    throw refused(path, `line 1: ${issues}`);
  });
  onFormat('bundle');
  yield* bundleRecords(path, json, false);
}

/** Every record of the bytes `chunks` gives, checked; throws an ImportError naming `label` and the place at the first problem. */
export async function* readImportRecords(chunks: AsyncIterable<Buffer>, label: string, onFormat: (format: SourceRecord['format']) => void = () => undefined): AsyncGenerator<SourceRecord> {
  try {
    yield* layout(label, JsonStream.of(chunks), onFormat);
  } catch (error) {
    if (error instanceof JsonStreamError) throw refused(label, `is not valid JSON (${error.message})`);
    throw error;
  }
}

/** Every record of the file at `path`, checked; throws an ImportError naming the place (and the file as `label`) at the first problem. */
export async function* readImportFile(
  path: string,
  signal?: AbortSignal,
  onFormat: (format: SourceRecord['format']) => void = () => undefined,
  label = path,
): AsyncGenerator<SourceRecord> {
  const stream = createReadStream(path, { highWaterMark: CHUNK, ...(signal ? { signal } : {}) });
  try {
    yield* readImportRecords(stream, label, onFormat);
  } finally {
    stream.destroy();
  }
}
