/**
 * What smee cannot carry, said so a person can act on it. smee answers the provider
 * itself, so a body it refuses never reaches Hookbench: these texts serve wherever the
 * refusal shows up (the provider's delivery log, the channel page) and the tunnel setup.
 */

/** smee's server (Fastify) parses at most this many body bytes. */
export const SMEE_BODY_LIMIT = 1024 * 1024;

export const DIRECT_MODE_HINT =
  'use direct mode instead: a public base URL of your own (a reverse proxy or another tunnel that keeps the raw bytes) pointing at the receiver';

export const FORM_ADVICE = `Set the hook's content type to application/json (GitHub: Settings → Webhooks → Content type), or ${DIRECT_MODE_HINT}.`;

export const TOO_LARGE_ADVICE = `smee accepts bodies up to about 1 MiB; for larger payloads ${DIRECT_MODE_HINT}.`;

/** Things to know when a tunnel is set up. */
export const TUNNEL_NOTES = [
  'smee relays JSON bodies only, re-serialized: Hookbench rebuilds the original bytes to verify signatures and records which rebuild matched.',
  `Form-encoded hooks do not pass through smee. ${FORM_ADVICE}`,
  `Bodies over about 1 MiB are refused by smee. ${TOO_LARGE_ADVICE}`,
  'Anyone who knows the channel URL can read what passes through it; signatures protect integrity, not secrecy.',
  "GitLab's X-Gitlab-Token is the secret itself and is readable on the channel: through a tunnel, prefer GitLab's signing token (webhook-signature).",
  'smee answers 200 to the provider even when nothing is listening, and keeps nothing for later: events sent while the tunnel is down are lost (use catch-up).',
];

export interface RefusalAdvice {
  reason: string;
  fix: string;
}

/** Why smee answered a provider with this status, when it is one of smee's own refusals. */
export function explainSmeeRefusal(status: number, bodySize?: number): RefusalAdvice | null {
  if (status === 413) {
    const size = bodySize === undefined ? '' : ` (${bodySize} bytes)`;
    return { reason: `The body${size} is too large for smee, which refused it; it never reached Hookbench.`, fix: TOO_LARGE_ADVICE };
  }
  if (status === 415) {
    return { reason: 'smee refused the body because it is not JSON (a form-encoded hook); it never reached Hookbench.', fix: FORM_ADVICE };
  }
  if (status === 400) {
    return { reason: 'smee could not parse the body as a JSON object; it never reached Hookbench.', fix: `Send a JSON object body, or ${DIRECT_MODE_HINT}.` };
  }
  return null;
}
