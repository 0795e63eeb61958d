import { readFileSync } from 'node:fs';
import type { Diagnosis } from '../../shared/types';
import { HeaderList } from '../engine/receiver/headers';
import { diagnose } from '../engine/signature/diagnose';
import { SignInputError, signRequest } from '../engine/signature/sign-request';
import { many, optional, required } from './option-values';
import type { CommandContext } from './context';
import { UsageError } from './usage';

function readFile(ctx: CommandContext, name: string): Buffer {
  const path = required(ctx, name);
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw new UsageError(`Cannot read --${name} ${path}: ${(error as Error).message}`);
  }
}

/** Headers as a JSON object, a JSON array of [name, value] pairs, or "Name: value" lines (as curl -i prints them). */
export function parseHeaders(text: string): HeaderList {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`The headers file looks like JSON but is not valid JSON (${(error as Error).message}); give an object, an array of [name, value] pairs, or "Name: value" lines.`);
    }
    if (Array.isArray(value)) {
      if (!value.every((pair) => Array.isArray(pair) && pair.length === 2)) throw new UsageError('A JSON array of headers must hold [name, value] pairs.');
      return new HeaderList(value.map((pair: unknown[]) => [String(pair[0]), String(pair[1])] as [string, string]));
    }
    return new HeaderList(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  const pairs: [string, string][] = [];
  for (const line of trimmed.split(/\r?\n/)) {
    if (/^HTTP\/|^POST |^\s*$/.test(line)) continue;
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`Header line without a colon: ${JSON.stringify(line.slice(0, 80))}`);
    pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return new HeaderList(pairs);
}

const unknownDialect = (error: unknown) => (/Unknown dialect/.test((error as Error).message) ? new UsageError((error as Error).message) : error);
const badInput = (error: unknown) => (error instanceof SignInputError ? new UsageError(`--timestamp: ${error.message}`) : unknownDialect(error));

export async function signCommand(ctx: CommandContext): Promise<void> {
  // Unix seconds, or for Repsy the ISO 8601 text exactly as a captured request carried it.
  const timestamp = optional(ctx, 'timestamp');
  let signed;
  try {
    signed = signRequest({
      dialect: required(ctx, 'dialect'),
      secret: required(ctx, 'secret'),
      body: readFile(ctx, 'body-file'),
      bodyFile: required(ctx, 'body-file'),
      timestamp,
      id: optional(ctx, 'id'),
      event: optional(ctx, 'event'),
      url: optional(ctx, 'url'),
    });
  } catch (error) {
    throw badInput(error);
  }
  ctx.out.data(signed, () => Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join('\n') + `\n\n${signed.curl}`);
}

const human = (d: Diagnosis) =>
  [
    `Dialect:   ${d.dialect ?? 'none detected'}${d.detected.length > 1 ? ` (also looks like ${d.detected.slice(1).join(', ')})` : ''}`,
    `Verdict:   ${d.verdict}${d.cause ? ` — ${d.cause.replace(/_/g, ' ')}` : ''}`,
    `Why:       ${d.explanation}`,
    ...(d.fix ? [`Fix:       ${d.fix}`] : []),
    ...(d.expected ? [`Expected:  ${d.expected}`] : []),
    ...(d.received ? [`Received:  ${d.received}`] : []),
    ...(d.untried.length ? [`Not tried: ${d.untried.join(' ')}`] : []),
    ...(d.signedBytes
      ? [`Signed bytes (${d.signedBytes.length}${d.reconstruction ? `, the body ${d.reconstruction}: the reconstruction that matched` : ''}):`, d.signedBytes.text.slice(0, 2000)]
      : []),
  ].join('\n');

export async function verifyCommand(ctx: CommandContext): Promise<void> {
  const headers = parseHeaders(readFile(ctx, 'headers-file').toString('utf8'));
  const dialect = optional(ctx, 'dialect');
  let result: Diagnosis;
  try {
    result = diagnose({ headers, body: readFile(ctx, 'body-file'), secrets: many(ctx, 'secret'), ...(dialect ? { dialect } : {}) });
  } catch (error) {
    throw unknownDialect(error);
  }
  ctx.out.data(result, () => human(result));
  if (result.verdict !== 'valid') process.exitCode = 1;
}
