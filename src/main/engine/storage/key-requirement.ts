import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KeyRequirement } from '../../../shared/storage-types';
import { KEY_FILE, keyFilePath } from '../secrets/key-file-box';

/** The sha256 of a key file's bytes: names the key without revealing it. */
export function keyFileFingerprint(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** What a copy of this data dir's database needs to open its secrets. */
export function keyRequirement(dataDir: string, secretStore: string): KeyRequirement {
  if (secretStore !== 'key-file') return { secretStore, keyFile: null };
  const sha256 = keyFileFingerprint(keyFilePath(dataDir));
  return { secretStore, keyFile: sha256 ? { name: KEY_FILE, sha256 } : null };
}

/** Short enough to read aloud, long enough to tell two keys apart. */
export const shortFingerprint = (sha256: string) => `sha256:${sha256.slice(0, 16)}`;
