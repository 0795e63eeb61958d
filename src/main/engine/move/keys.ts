import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SecretKeyError } from '../secrets/errors';
import { KEY_FILE, openWith, readKey } from '../secrets/key-file-box';
import { keySource, NEXT_SUFFIX } from '../secrets/key-source';
import type { SecretBox } from '../secrets/secret-box';
import { MoveRefused } from './errors';

export interface TargetKey {
  key: Buffer;
  /** Every key given for the server (HOOKBENCH_SECRET_KEY=NEW,OLD): a data dir already moved onto one of them opens with it. */
  ring: Buffer[];
  /** Where it came from, for the report: HOOKBENCH_SECRET_KEY or a file. */
  from: string;
}

/**
 * The team server's key, taken as its serve takes it: HOOKBENCH_SECRET_KEY (the first key of
 * the list seals), else --key-file, else HOOKBENCH_SECRET_KEY_FILE. Never the data dir's own
 * secret.key by default: the server's instances would not have it.
 */
export function targetKey(keyFile: string | undefined, env: NodeJS.ProcessEnv = process.env): TargetKey {
  if (keyFile) {
    const key = readKeyOrRefuse(keyFile);
    return { key, ring: [key], from: keyFile };
  }
  try {
    const source = keySource('', env);
    if (source.kind === 'env') return { key: source.keys[0]!, ring: source.keys, from: 'HOOKBENCH_SECRET_KEY' };
    if (env.HOOKBENCH_SECRET_KEY_FILE?.trim()) {
      const key = readKeyOrRefuse(source.path);
      return { key, ring: [key], from: source.path };
    }
  } catch (error) {
    if (error instanceof SecretKeyError) throw new MoveRefused(error.message);
    throw error;
  }
  throw new MoveRefused(
    "The team server's secret key is needed to seal the moved secrets: set HOOKBENCH_SECRET_KEY (base64 of 32 bytes, as every instance gets it) " +
      'or give --key-file FILE (a 32-byte key file, as HOOKBENCH_SECRET_KEY_FILE names it to serve).',
  );
}

function readKeyOrRefuse(path: string): Buffer {
  let key: Buffer | null;
  try {
    key = readKey(path);
  } catch (error) {
    throw new MoveRefused((error as Error).message);
  }
  if (!key) throw new MoveRefused(`There is no key file at ${path}. Make one with "openssl rand 32 > ${path}" (mode 0600) and start the server's instances with HOOKBENCH_SECRET_KEY_FILE=${path}.`);
  return key;
}

/**
 * What opens the data dir's secrets: its own key file (and the key of a rotation it left
 * unfinished), and the server's keys too, for a data dir already moved onto the shared key
 * (`secrets rotate-key` with HOOKBENCH_SECRET_KEY=NEW,OLD).
 */
export function sourceBox(dataDir: string, serverKeys: Buffer[]): { box: SecretBox; keyFile: string } {
  const path = join(dataDir, KEY_FILE);
  const ring = () => [readKey(path), readKey(path + NEXT_SUFFIX), ...serverKeys].filter((key): key is Buffer => key !== null);
  const box: SecretBox = {
    kind: 'data-dir',
    seal: () => {
      throw new Error('The data dir is only read.');
    },
    open(sealed) {
      for (const key of ring()) {
        const plain = openWith(key, sealed);
        if (plain !== null) return plain;
      }
      const why = existsSync(path) ? `The key file ${path} does not open this secret: it is not the key that sealed it.` : `The key file ${path} is missing, so this secret cannot be opened.`;
      throw new SecretKeyError(why, path);
    },
  };
  return { box, keyFile: path };
}
