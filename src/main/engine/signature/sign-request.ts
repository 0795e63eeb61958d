import type { SignedRequest } from '../../../shared/types';
import { getDialect } from '../dialects';
import { safeBytes } from './diagnosis';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface SignInput {
  dialect: string;
  secret: string;
  body: Buffer;
  /** Unix seconds; now by default. */
  timestamp?: number | undefined;
  id?: string | undefined;
  event?: string | undefined;
  url?: string | undefined;
  /** The file the cURL command reads the body from: the one it was signed from, when there is one. */
  bodyFile?: string | undefined;
}

/** The calculator: headers for any body in any dialect, and a cURL command that sends it. */
export function signRequest(input: SignInput): SignedRequest {
  const dialect = getDialect(input.dialect);
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const id = input.id ?? `msg_${timestamp}`;
  const { headers, signedBytes } = dialect.sign(input.body, input.secret, { timestamp, id, ...(input.event ? { event: input.event } : {}) });
  const all = { 'Content-Type': 'application/json', ...headers };
  const curl = [
    'curl -X POST',
    ...Object.entries(all).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`),
    `--data-binary ${shellQuote(`@${input.bodyFile ?? 'body.json'}`)}`,
    shellQuote(input.url ?? 'http://127.0.0.1:8080/webhook'),
  ].join(' \\\n  ');
  return { headers: all, signedBytes: safeBytes(signedBytes), curl };
}
