import { readFileSync } from 'node:fs';
import type { ParamsOf } from '../../shared/contract';
import type { CommandContext } from './context';
import { integer, optional } from './option-values';
import { UsageError } from './usage';

type AnswerOptions = Omit<ParamsOf<'inboxes.respond'>, 'id'>;

/** "Name: value" lines, each kept whole (a value may hold commas). */
function headerLines(ctx: CommandContext): [string, string][] {
  const raw = ctx.options.header;
  const lines = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return lines.map((line) => {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--header takes "Name: value", got ${JSON.stringify(line)}.`);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}

function bodyFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`--body-file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`--body-file: ${path} is not UTF-8 text; an answer body is sent as text.`);
  }
}

function ratio(ctx: CommandContext): number | undefined {
  const raw = optional(ctx, 'ratio');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError('--ratio must be a share from 0 to 1, such as 0.25.');
  return n;
}

/** `inbox respond` options as the engine's answer parameters; only what was given is sent. */
export function answerFromOptions(ctx: CommandContext): AnswerOptions {
  const status = integer(ctx, 'status', 100, 599);
  const failFirst = integer(ctx, 'first', 1, 1000);
  const failRatio = ratio(ctx);
  const delayMs = integer(ctx, 'delay-ms', 0, 600_000);
  const path = optional(ctx, 'body-file');
  const headers = headerLines(ctx);
  const given: AnswerOptions = {
    ...(ctx.options.reset === true ? { reset: true } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(failFirst !== undefined ? { failFirst } : {}),
    ...(failRatio !== undefined ? { failRatio } : {}),
    ...(delayMs !== undefined ? { delayMs } : {}),
    ...(path !== undefined ? { body: bodyFile(path) } : {}),
    ...(headers.length > 0 ? { headers } : {}),
    ...(ctx.options.hang === true ? { hang: true } : {}),
  };
  if (Object.keys(given).length === 0) {
    throw new UsageError('Nothing to set: give --status S (with --first N, --ratio R, --delay-ms D, --body-file F, --header "K: V"), --hang, or --reset.');
  }
  return given;
}
