import { statSync } from 'node:fs';
import type { ImportResult } from '../../../shared/types';
import type { Db } from '../db/open';
import { writeInSlices } from '../db/sliced-writes';
import type { SecretBox } from '../secrets/secret-box';
import { runOps } from '../store/steps';
import { ImportError } from './import-records';
import { beginImportRun, endImportRun, sweepAbandonedImports, takeBackImport } from './import-runs';
import { CopyCounter } from './copy-counter';
import { adoptCaptures, forgetCaptures } from './import-inbox';
import { checkRecords, emptyCounts, importResult, inBatches, newImportMarker, sealWith, type Progress, type ReadRecords } from './import-pass';
import { readImportFile, type SourceRecord } from './import-source';
import { storeRecord, type ImportOps, type ImportWriter, type Stored } from './import-steps';
import { prepareImportStatements, sqliteImportOps } from './import-statements';

export type { Progress } from './import-pass';

interface Writer extends ImportWriter {
  db: Db;
  ops: ImportOps;
}

/**
 * Writes an import in short slices, and takes back what it wrote if it fails or is
 * interrupted midway (or, if the process dies, the next import or start of serve does):
 * nothing is imported partially.
 */
async function asOneImport<T>(db: Db, path: string, label: string, marker: string, write: () => Promise<T>): Promise<T> {
  beginImportRun(db, marker, path);
  try {
    const result = await write();
    adoptCaptures(db, marker, label);
    endImportRun(db, marker);
    return result;
  } catch (error) {
    forgetCaptures(marker);
    await takeBackImport(db, marker);
    throw error;
  }
}

async function writeFile(w: Writer, read: ReadRecords, total: number, progress: Progress, signal?: AbortSignal): Promise<Record<Stored, number>> {
  const counts = emptyCounts();
  let done = 0;
  // A slice writes what it can of a batch in a few milliseconds.
  const flush = async (records: SourceRecord[]) => {
    signal?.throwIfAborted();
    for (const stored of await writeInSlices(w.db, records, (record) => runOps(storeRecord(w, record), w.ops))) counts[stored]++;
    done += records.length;
    progress(done, total, 'writing');
  };
  await inBatches(read, flush);
  return counts;
}

/**
 * Imports a HAR file or a Hookbench bundle into the delivery list, marked as imported, bytes
 * preserved. The file is read twice, a record at a time: first checked whole, then written
 * in slices of a few milliseconds (a running serve keeps the write lock for its receiver).
 * All or nothing: an import that fails or is aborted through `signal` takes back what it
 * wrote; one whose process dies is taken back by the next import or start of serve.
 * Records an earlier import stored already are left out, so importing a file twice adds nothing.
 * Messages and reasons name the file as `label` (an uploaded file by the name it was sent under).
 */
export async function importFile(db: Db, path: string, progress: Progress = () => undefined, box?: SecretBox, signal?: AbortSignal, label = path): Promise<ImportResult> {
  try {
    if (!statSync(path).isFile()) throw new ImportError(`${path} is not a file: give a HAR file or a Hookbench bundle.`);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  // An import whose process died midway is taken back before another one starts.
  await sweepAbandonedImports(db);
  const read: ReadRecords = (onFormat) => readImportFile(path, signal, onFormat, label);
  const copies = new CopyCounter();
  const { format, total } = await checkRecords(read, copies, progress);
  const marker = newImportMarker();
  const ops = sqliteImportOps(db, prepareImportStatements(db.$client, marker));
  const counts = await asOneImport(db, path, label, marker, () => writeFile({ db, ops, marker, label, seal: sealWith(box), copies }, read, total, progress, signal));
  return importResult(format, counts);
}
