// Several writer processes (out/main/store-load.js) on one database, started together.
// Node builtins only, so the store bench (bench/receiver-store.js) runs it by Node's type stripping.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const STORE_LOAD = fileURLToPath(new URL('../../out/main/store-load.js', import.meta.url));

export interface WriterResult {
  acknowledged: number;
  duplicates: number;
  failed: number;
  ms: number;
  errors: string[];
}

/**
 * Starts `processes` writers with `args(i)`, waits until each has its database open, lets them
 * all go at once and resolves with each one's result and the span from the start to the last end.
 */
export async function runWriters(database: string, processes: number, args: (index: number) => string[]): Promise<{ results: WriterResult[]; ms: number }> {
  const children = Array.from({ length: processes }, (_, index) => {
    const child = spawn(process.execPath, [STORE_LOAD, '--database', database, '--wait', ...args(index)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const ready = new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => (out += c.toString()).includes('"ready"') && resolve()));
    const done = new Promise<WriterResult>((resolve, reject) =>
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as WriterResult) : reject(new Error(`store-load exited ${code}: ${err}`)))),
    );
    return { child, ready, done };
  });
  try {
    await Promise.race([Promise.all(children.map((c) => c.ready)), Promise.all(children.map((c) => c.done))]);
    const started = performance.now();
    for (const { child } of children) child.stdin.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));
    return { results, ms: performance.now() - started };
  } finally {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
