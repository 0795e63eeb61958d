/**
 * Headers whose value is a credential rather than a signature: GitLab's token is the
 * secret itself. Exports keep the header (so its presence is visible) but not the value.
 */
const CREDENTIAL_HEADERS = new Set(['x-gitlab-token', 'authorization', 'proxy-authorization', 'cookie']);

export const REDACTED = '[redacted by Hookbench]';

export function redactHeaders(headers: [string, string][]): [string, string][] {
  return headers.map(([k, v]) => [k, CREDENTIAL_HEADERS.has(k.toLowerCase()) ? REDACTED : v]);
}

/** Bytes as text when they survive the round trip exactly, else base64. */
export function bodyAsText(body: Buffer): { text: string; encoding?: 'base64' } {
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body) ? { text } : { text: body.toString('base64'), encoding: 'base64' };
}
