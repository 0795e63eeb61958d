import { randomBytes } from 'node:crypto';

/**
 * A failure nobody outside should read about: its detail goes to the log under a fresh id,
 * and the caller answers with that id alone, so a report can be matched to the log
 * without the answer telling a stranger how the server is built.
 */
export function logInternalError(where: string, error: unknown): string {
  const id = `err_${randomBytes(6).toString('hex')}`;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`hookbench: ${where} failed (${id}): ${detail}\n`);
  return id;
}
