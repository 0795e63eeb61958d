import { MoveRefused } from '../engine/move/errors';
import { targetKey } from '../engine/move/keys';
import { keyRingBox } from '../engine/secrets/key-file-box';
import type { SecretBox } from '../engine/secrets/secret-box';
import { UsageError } from './usage';

/** The key every instance of a team server shares: never a key file made up in some data dir. */
export function sharedKeyBox(env: NodeJS.ProcessEnv = process.env): SecretBox {
  if (!env.HOOKBENCH_SECRET_KEY?.trim() && !env.HOOKBENCH_SECRET_KEY_FILE?.trim()) {
    throw new UsageError(
      'A team server seals secrets with the key every instance shares: set HOOKBENCH_SECRET_KEY (base64 of 32 bytes, e.g. "openssl rand -base64 32"; NEW,OLD while rotating) ' +
        'or HOOKBENCH_SECRET_KEY_FILE (a 32-byte key file), the same on every instance.',
    );
  }
  try {
    const { key, ring, from } = targetKey(undefined, env);
    return keyRingBox(
      'shared-key',
      () => ring,
      () => key,
      from,
    );
  } catch (error) {
    if (error instanceof MoveRefused) throw new UsageError(error.message);
    throw error;
  }
}

/** For commands on a team's database that seal or open nothing (tokens are hashed; a rotation opens its keys itself). */
export const NO_SECRETS: SecretBox = {
  kind: 'none',
  seal: () => {
    throw new Error('This command seals no secret.');
  },
  open: () => {
    throw new Error('This command opens no secret.');
  },
};
