import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForeignSecretError, SecretKeyError } from './errors';
import type { SecretBox } from './secret-box';

export const KEY_FILE = 'secret.key';
const PREFIX = 'aesgcm1:';

export const keyFilePath = (dataDir: string) => join(dataDir, KEY_FILE);

/** Whether this value was sealed with a key file (and so only that key file opens it). */
export const sealedWithKeyFile = (sealed: string) => sealed.startsWith(PREFIX);

function readKey(path: string): Buffer | null {
  let key: Buffer;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    key = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (key.length !== 32) throw new SecretKeyError(`${path} is not a 32-byte key; refusing to guess.`, path);
  return key;
}

function createKey(path: string): Buffer {
  try {
    // 'wx' fails if another process (a CLI beside a running server) created it first.
    writeFileSync(path, randomBytes(32), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(path)!;
}

/**
 * Headless secret storage: AES-256-GCM with a key file only its owner can read.
 * The key file is made when the first secret is sealed, never to open one: a missing key
 * file next to sealed secrets means the key was lost, and a new key would open none of them.
 */
export function createKeyFileBox(dataDir: string): SecretBox {
  const path = keyFilePath(dataDir);
  let key: Buffer | null = null;
  const keyToOpen = () => {
    key ??= readKey(path);
    if (!key) throw new SecretKeyError(`The key file ${path} is missing, so this secret cannot be opened.`, path);
    return key;
  };
  return {
    kind: 'key-file',
    seal(plain) {
      key ??= readKey(path) ?? createKey(path);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealedWithKeyFile(sealed)) throw new ForeignSecretError('Secret was sealed by a different secret store.');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const key = keyToOpen();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError(`The key file ${path} does not open this secret: it is not the key that sealed it.`, path);
      }
    },
  };
}
