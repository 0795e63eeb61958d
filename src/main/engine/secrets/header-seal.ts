import { isSecretHeader, SEALED_PREFIX } from '../../../shared/secret-headers';
import type { SecretBox } from './secret-box';

export type HeaderPairs = [string, string][];

const isSealed = (value: string) => value.startsWith(SEALED_PREFIX);

const REMEMBERED = 256;
const sealedBy = new WeakMap<SecretBox, Map<string, string>>();

/**
 * A package's deliveries all carry the same token, and a cipher run costs ~40 µs of the
 * receiver's thread: each value is sealed once per process and its sealed form reused
 * (which shows only that two stored values are equal, as they are for one hook anyway).
 */
function sealValue(box: SecretBox, plain: string): string {
  let memo = sealedBy.get(box);
  if (!memo) sealedBy.set(box, (memo = new Map()));
  let sealed = memo.get(plain);
  if (sealed === undefined) {
    sealed = SEALED_PREFIX + box.seal(plain);
    if (memo.size >= REMEMBERED) memo.delete(memo.keys().next().value!);
    memo.set(plain, sealed);
  }
  return sealed;
}

const NONE: readonly string[] = [];

/** A credential by its name, or because its value is one of the known secrets (a hook's own, under any name). */
const isCredential = (name: string, value: string, secrets: readonly string[]) => !isSealed(value) && (isSecretHeader(name) || secrets.includes(value));

/** Whether any header here is a credential that is still in clear. */
export function hasClearSecret(pairs: HeaderPairs, secrets: readonly string[] = NONE): boolean {
  for (const [name, value] of pairs) if (isCredential(name, value, secrets)) return true;
  return false;
}

/** Credential values sealed, every other pair as it is; the same pairs when there is nothing to seal. */
export function sealHeaders(box: SecretBox, pairs: HeaderPairs, secrets: readonly string[] = NONE): HeaderPairs {
  if (!hasClearSecret(pairs, secrets)) return pairs;
  return pairs.map(([name, value]): [string, string] => (isCredential(name, value, secrets) ? [name, sealValue(box, value)] : [name, value]));
}

/**
 * Headers as a stored JSON column. The common request carries no credential header and
 * costs one scan of its names; only one that does pays for the cipher.
 */
export const headersForStorage = (box: SecretBox, pairs: HeaderPairs, secrets: readonly string[] = NONE): string => JSON.stringify(sealHeaders(box, pairs, secrets));

/** The exact values that were received or sent, for sending them again. */
export function openHeaders(box: SecretBox, pairs: HeaderPairs): HeaderPairs {
  if (!pairs.some(([, value]) => isSealed(value))) return pairs;
  return pairs.map(([name, value]): [string, string] => {
    if (!isSealed(value)) return [name, value];
    try {
      return [name, box.open(value.slice(SEALED_PREFIX.length))];
    } catch (error) {
      throw new Error(`The stored ${name} header cannot be unsealed (${(error as Error).message}); was this data dir moved without its key?`);
    }
  });
}

export const parseHeaders = (json: string): HeaderPairs => JSON.parse(json) as HeaderPairs;
