import { join } from 'node:path';
import { SecretKeyError } from './errors';

export const KEY_FILE = 'secret.key';
/** Beside the key file while `secrets rotate-key` runs: the key values are being re-sealed with. */
export const NEXT_SUFFIX = '.next';
/** The key a finished rotation replaced, kept for the backups that still need it. */
export const PREVIOUS_SUFFIX = '.previous';

/**
 * Where the key comes from:
 * - HOOKBENCH_SECRET_KEY: the key itself, shared by every instance of a team server (base64 of
 *   32 bytes, e.g. `openssl rand -base64 32`); a comma-separated list seals with the first and
 *   opens with any, which is how a shared key is rotated;
 * - HOOKBENCH_SECRET_KEY_FILE: a key file kept elsewhere than the data dir;
 * - otherwise secret.key in the data dir.
 */
export type KeySource = { kind: 'file'; path: string } | { kind: 'env'; keys: Buffer[] };

export function keySource(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeySource {
  const shared = env.HOOKBENCH_SECRET_KEY?.trim();
  if (shared) {
    const keys = shared.split(',').map((text, i) => {
      const key = Buffer.from(text.trim(), 'base64');
      if (key.length !== 32) {
        throw new SecretKeyError(`HOOKBENCH_SECRET_KEY key ${i + 1} is not 32 bytes of base64 (make one with "openssl rand -base64 32"); refusing to guess.`, 'HOOKBENCH_SECRET_KEY');
      }
      return key;
    });
    return { kind: 'env', keys };
  }
  return { kind: 'file', path: env.HOOKBENCH_SECRET_KEY_FILE?.trim() || join(dataDir, KEY_FILE) };
}

/** The key file in use (for messages, backups and rotation); with a shared key in the environment, the name of the variable. */
export function keyFilePath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const source = keySource(dataDir, env);
  return source.kind === 'file' ? source.path : 'HOOKBENCH_SECRET_KEY';
}
