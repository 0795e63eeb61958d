import { ApiError } from '../../shared/contract';
import { METHOD_NAMES, type CallOutcome, type MethodName } from '../../shared/methods';

/**
 * The checks every IPC call passes before the engine sees it, free of electron so they
 * are unit-tested. Order: who is calling, is the method one of the contract's names,
 * are the params a plain object; then the engine's invoker validates the params
 * against the contract's zod schema and hands the handler only the parsed value.
 */

export type Invoke = (method: string, params: unknown) => Promise<unknown>;
type Failure = Extract<CallOutcome, { ok: false }>;

export interface SenderInfo {
  /** The call came from our main window's webContents. */
  fromOurWindow: boolean;
  /** From its top-level frame (never an iframe). */
  topFrame: boolean;
  /** The sending frame's URL; null once the frame is gone. */
  frameUrl: string | null;
}

export function senderAllowed(sender: SenderInfo, isOwnUrl: (url: string) => boolean): boolean {
  return sender.fromOurWindow && sender.topFrame && typeof sender.frameUrl === 'string' && isOwnUrl(sender.frameUrl);
}

const KNOWN = new Set<string>(METHOD_NAMES);

function fail(code: string, message: string): Failure {
  return { ok: false, error: { code, message } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export type Prechecked = { ok: true; method: MethodName; params: Record<string, unknown> } | { ok: false; outcome: Failure };

/** The method must be one of the contract's names; params an object (or absent, meaning {}). */
export function precheck(method: unknown, params: unknown): Prechecked {
  if (typeof method !== 'string' || !KNOWN.has(method)) {
    const shown = typeof method === 'string' ? `"${method.slice(0, 100)}"` : typeof method;
    return { ok: false, outcome: fail('unknown_method', `Unknown method ${shown}.`) };
  }
  if (params === undefined || params === null) return { ok: true, method: method as MethodName, params: {} };
  if (!isPlainObject(params)) return { ok: false, outcome: fail('invalid_params', `Parameters for ${method} must be an object.`) };
  return { ok: true, method: method as MethodName, params };
}

/** Typed engine errors keep their code; anything else is reported as internal. */
export function errorOutcome(error: unknown): Failure {
  if (error instanceof ApiError) return { ok: false, error: { code: error.code, message: error.message, issues: error.issues } };
  const message = error instanceof Error ? error.message : String(error);
  return fail('internal', message);
}

/** One IPC call, start to finish. Never throws: the renderer always gets a CallOutcome. */
export async function handleCall(
  invoke: Invoke,
  sender: SenderInfo,
  isOwnUrl: (url: string) => boolean,
  method: unknown,
  params: unknown,
): Promise<CallOutcome> {
  if (!senderAllowed(sender, isOwnUrl)) return fail('forbidden', 'IPC from an unexpected frame.');
  const checked = precheck(method, params);
  if (!checked.ok) return checked.outcome;
  try {
    // The invoker parses params with the contract's schema and passes only the parsed value on.
    return { ok: true, result: await invoke(checked.method, checked.params) };
  } catch (error) {
    const outcome = errorOutcome(error);
    // Params are never logged: they can carry secrets and tokens.
    if (outcome.error.code === 'internal') console.error(`hookbench: ${checked.method} failed:`, outcome.error.message);
    return outcome;
  }
}
