import { existsSync } from 'node:fs';
import type { Queryable } from '../db/open';
import { SecretKeyError } from './errors';
import { createKeyFileBox, KEY_FILE, keyFilePath } from './key-file-box';
import { keySource } from './key-source';
import type { SecretBox } from './secret-box';
import { unopenedBy } from './reset-steps';
import { listSealed, type SealedValue } from './statements';

/** The key-file secrets in the data dir that its key file does not open (none when it opens them all). */
export function unopenedSecrets(db: Queryable, dataDir: string): SealedValue[] {
  return unopenedBy(listSealed(db), createKeyFileBox(dataDir));
}

/** "2 package hooks, 1 endpoint and 1 connection token": what a key no longer opens. */
export function describeUnopened(unopened: SealedValue[]): string {
  const count = (owner: SealedValue['owner'], one: string, many = `${one}s`) => {
    const n = new Set(unopened.filter((v) => v.owner === owner).map((v) => v.id)).size;
    return n ? [`${n} ${n === 1 ? one : many}`] : [];
  };
  const parts = [...count('hook', 'package hook'), ...count('endpoint', 'endpoint'), ...count('inbox', 'inbox', 'inboxes'), ...count('connection', 'connection token')];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
}

/** Why nothing starts with a key that opens none of the stored secrets, and the two ways out. */
export function keyProblem(unopened: SealedValue[], where: string, cause: string, restore: string, reset: string, keyName: string): SecretKeyError {
  return new SecretKeyError(
    `The secrets of ${describeUnopened(unopened)} in ${where} cannot be opened: ${cause}. Without them no delivery can be verified or sent, ` +
      `so Hookbench stops here instead of refusing every delivery. Either ${restore}, ` +
      `or run "${reset}" to give those hooks, endpoints and inboxes new secrets ` +
      '(shown once; paste them into the repositories and services again; connections whose tokens are lost are removed).',
    keyName,
  );
}

/**
 * Checked before anything listens: with a lost or replaced key file no hook secret opens, so
 * every correctly signed delivery would be refused. Says which file and what to do.
 */
export function checkKeyFile(db: Queryable, dataDir: string): SecretKeyError | null {
  const unopened = unopenedSecrets(db, dataDir);
  if (unopened.length === 0) return null;
  const path = keyFilePath(dataDir);
  const cause =
    keySource(dataDir).kind === 'env'
      ? 'HOOKBENCH_SECRET_KEY does not hold the key that sealed them (to rotate a shared key, list it as NEW,OLD and run "hookbench secrets rotate-key")'
      : existsSync(path)
        ? `the key file ${path} is not the key that sealed them`
        : `the key file ${path} is missing`;
  return keyProblem(unopened, dataDir, cause, `restore ${KEY_FILE} from a backup of ${dataDir}`, `hookbench secrets reset --data-dir ${dataDir}`, path);
}

/** A box that refuses every use while the key problem stands, so nothing is sealed with a key that opens nothing else. */
export function guardedBox(box: SecretBox, problem: SecretKeyError | null): { box: SecretBox; unlock(): void } {
  let current = problem;
  return {
    box: {
      kind: box.kind,
      seal(plain) {
        if (current) throw current;
        return box.seal(plain);
      },
      open(sealed) {
        if (current) throw current;
        return box.open(sealed);
      },
    },
    unlock: () => {
      current = null;
    },
  };
}
