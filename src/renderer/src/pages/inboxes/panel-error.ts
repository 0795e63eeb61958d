import { CallError } from '../../api/transport';
import { describeError } from '../../lib/errors';

/** A method this engine does not have yet says so plainly, instead of a bare code. */
export function panelError(error: unknown, what: string): string {
  if (error instanceof CallError && error.code === 'unknown_method') return `This Hookbench cannot ${what} yet: its engine does not have that part.`;
  return describeError(error);
}
