// What durability the benchmarked build actually uses, read from the built engine rather than assumed.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function durabilityMode() {
  const dir = fileURLToPath(new URL('../out/main/chunks/', import.meta.url));
  let text = '';
  try {
    for (const f of readdirSync(dir)) if (f.endsWith('.js')) text += readFileSync(dir + f, 'utf8');
  } catch {
    // no build
  }
  const find = (re) => re.exec(text)?.[1] ?? 'unknown';
  const number = (re) => {
    const n = Number(find(re));
    return Number.isFinite(n) ? n : 'unknown';
  };
  return {
    journalMode: find(/journal_mode = (\w+)/),
    synchronous: find(/synchronous = (\w+)/),
    // The receiver's commits skip SQLite's own fsync and flush the WAL file before answering.
    walFlushBeforeAnswer: /fdatasync\(/.test(text),
    checkpointsInWorker: /wal_checkpoint\(PASSIVE\)/.test(text),
    groupCommitMaxRows: number(/maxBatch \?\? (\d+)/),
    groupCommitMaxDelayMs: number(/maxDelayMs \?\? (\d+)/),
  };
}
