import type { Cause, Diagnosis } from '../../../shared/signature-types';
import type { DeliveryDetail } from '../../../shared/types';

/** Causes read off the body's bytes: over a body cut short they would be guesses. */
const BODY_CAUSES = new Set<Cause | null>([null, 'wrong_secret', 'body_reserialized', 'body_changed', 'form_vs_json']);

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/**
 * A refused request keeps only its body's first bytes, so a signature over the whole body
 * cannot be checked again. What the headers alone show (a timestamp, a malformed or
 * misspelled header) still stands; anything read off the body is replaced by what is known.
 */
export function qualifyForCutBody(diagnosis: Diagnosis, delivery: DeliveryDetail): Diagnosis {
  if (!delivery.bodyTruncated) return diagnosis;
  const kept = Buffer.byteLength(delivery.bodyBase64, 'base64');
  const note = `Only the first ${bytes(kept)} of this refused request's ${bytes(delivery.bodySize)} were kept, so the body's signature could not be checked again.`;
  if (!BODY_CAUSES.has(diagnosis.cause) || diagnosis.verdict === 'valid') return { ...diagnosis, untried: [...diagnosis.untried, note] };
  return {
    ...diagnosis,
    cause: null,
    reconstruction: null,
    matchedSecret: null,
    expected: null,
    explanation: `${note} When it arrived, the signature was checked over the whole body and refused (verdict: ${delivery.verdict}); the headers show nothing else wrong.`,
    fix: 'To see why it failed, have the sender deliver it again, or start serve with a larger --rejected-body-limit so refused bodies are kept whole.',
    untried: [...diagnosis.untried, note],
  };
}
