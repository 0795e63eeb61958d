import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Each test gets its own data dir, removed when the test ends. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
