import type { SignedRequest } from '../../../shared/types';
import { getDialect, type Dialect } from '../dialects';
import { timestampFormProblem } from '../dialects/shape';
import { parseTimestamp } from '../dialects/shared';
import { safeBytes } from './diagnosis';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const MAX_UNIX_SECONDS = 99_999_999_999;

/** A calculator input that cannot be signed as given; the message says what to give instead. */
export class SignInputError extends Error {}

export interface SignInput {
  dialect: string;
  secret: string;
  body: Buffer;
  /**
   * Unix seconds (a number, or digits); now by default. For a dialect whose timestamp is text
   * (Repsy's ISO 8601), the text exactly as a captured request carried it, signed byte for byte.
   */
  timestamp?: number | string | undefined;
  id?: string | undefined;
  event?: string | undefined;
  url?: string | undefined;
  /** The file the cURL command reads the body from: the one it was signed from, when there is one. */
  bodyFile?: string | undefined;
}

function timestampFor(dialect: Dialect, given: number | string | undefined): { timestamp: number; timestampText?: string } {
  if (given === undefined) return { timestamp: Math.floor(Date.now() / 1000) };
  const text = String(given).trim();
  if (/^\d+$/.test(text) && Number(text) <= MAX_UNIX_SECONDS) return { timestamp: Number(text) };
  const rule = dialect.timestamp;
  if (!rule) throw new SignInputError(`The timestamp ${JSON.stringify(text)} is not Unix seconds; ${dialect.label} signs no timestamp, so give whole seconds or none.`);
  const seconds = parseTimestamp(rule, text);
  if (seconds === null || rule.format === 'unix-seconds') throw new SignInputError(`The timestamp is not usable: ${timestampFormProblem(rule, text)}`);
  return { timestamp: seconds, timestampText: text };
}

/** The calculator: headers for any body in any dialect, and a cURL command that sends it. */
export function signRequest(input: SignInput): SignedRequest {
  const dialect = getDialect(input.dialect);
  const time = timestampFor(dialect, input.timestamp);
  const id = input.id ?? `msg_${time.timestamp}`;
  const { headers, signedBytes } = dialect.sign(input.body, input.secret, { ...time, id, ...(input.event ? { event: input.event } : {}) });
  const all = { 'Content-Type': 'application/json', ...headers };
  const curl = [
    'curl -X POST',
    ...Object.entries(all).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`),
    `--data-binary ${shellQuote(`@${input.bodyFile ?? 'body.json'}`)}`,
    shellQuote(input.url ?? 'http://127.0.0.1:8080/webhook'),
  ].join(' \\\n  ');
  return { headers: all, signedBytes: safeBytes(signedBytes), curl };
}
