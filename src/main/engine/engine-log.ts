import { appendFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ENGINE_LOG_FILE = 'engine.log';

/** Past this the log starts over, keeping the previous one as engine.log.1. */
const MAX_BYTES = 5 * 1024 * 1024;

export interface EngineLog {
  /** Where the log is: error messages name it. */
  path: string;
  /** Records an unexpected failure with its stack; never throws (a log that cannot be written must not hide the error). */
  error(context: string, error: unknown): void;
}

/**
 * The engine's own record of what went wrong unexpectedly, in the data dir beside the
 * database, so it is where a person (or a bug report) finds it whatever runs the engine:
 * the desktop app, `hookbench serve` or a CLI command. It never holds parameters, which can
 * carry secrets: only what failed, when, and the stack.
 */
export function createEngineLog(dataDir: string): EngineLog {
  const path = join(dataDir, ENGINE_LOG_FILE);
  return {
    path,
    error(context, error) {
      const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
      try {
        if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(path, `${path}.1`);
        appendFileSync(path, `${new Date().toISOString()} ${context} failed: ${stack}\n`, { mode: 0o600 });
      } catch {
        process.stderr.write(`hookbench: ${context} failed (and the engine log at ${path} could not be written): ${stack}\n`);
      }
    },
  };
}
