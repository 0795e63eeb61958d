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
  return {
    journalMode: find(/journal_mode = (\w+)/),
    synchronous: find(/synchronous = (\w+)/),
    groupCommitMaxRows: Number(find(/maxBatch \?\? (\d+)/)) || 'unknown',
    groupCommitMaxDelayMs: Number(find(/maxDelayMs \?\? (\d+)/)) || 'unknown',
  };
}
