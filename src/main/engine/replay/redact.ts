import { isHiddenHeader } from '../../../shared/secret-headers';

export const REDACTED = '[redacted by Hookbench]';

/**
 * Credential headers (GitLab's token is the secret itself), by the same rule every view
 * masks with. Exports keep the header (so its presence is visible) but not the value.
 */
export function redactHeaders(headers: [string, string][]): [string, string][] {
  return headers.map((pair) => [pair[0], isHiddenHeader(pair) ? REDACTED : pair[1]]);
}

/** Bytes as text when they survive the round trip exactly, else base64. */
export function bodyAsText(body: Buffer): { text: string; encoding?: 'base64' } {
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body) ? { text } : { text: body.toString('base64'), encoding: 'base64' };
}
