import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ForeignSecretError, SecretKeyError } from './errors';
import { keySource, NEXT_SUFFIX, type KeySource } from './key-source';
import type { SecretBox } from './secret-box';

export { KEY_FILE, keyFilePath } from './key-source';

const PREFIX = 'aesgcm1:';

/** Whether this value was sealed with a key file (and so only that key file opens it). */
export const sealedWithKeyFile = (sealed: string) => sealed.startsWith(PREFIX);

export function readKey(path: string): Buffer | null {
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

export function sealWith(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The plaintext, or null when this key did not seal it (the GCM tag says so). */
export function openWith(key: Buffer, sealed: string): string | null {
  if (!sealedWithKeyFile(sealed)) throw new ForeignSecretError('Secret was sealed by a different secret store.');
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Seals with sealKey(), opens with any key the ring yields (looked at in order, lazily). */
export function keyRingBox(kind: string, keys: () => Iterable<Buffer>, sealKey: () => Buffer, where: string): SecretBox {
  return {
    kind,
    where,
    seal: (plain) => sealWith(sealKey(), plain),
    open(sealed) {
      let any = false;
      for (const key of keys()) {
        any = true;
        const plain = openWith(key, sealed);
        if (plain !== null) return plain;
      }
      if (!any) throw new SecretKeyError(`The key file ${where} is missing, so this secret cannot be opened.`, where);
      throw new SecretKeyError(`The key file ${where} does not open this secret: it is not the key that sealed it.`, where);
    },
  };
}

/**
 * Headless secret storage: AES-256-GCM with a key only its owner can read (key-source.ts says
 * where it comes from). The key file is made when the first secret is sealed, never to open
 * one: a missing key file next to sealed secrets means the key was lost, and a new key would
 * open none of them. While a rotation is under way, the key it re-seals with opens too, so a
 * rotation stopped midway leaves every secret openable.
 */
export function createKeyFileBox(dataDir: string, source: KeySource = keySource(dataDir)): SecretBox {
  if (source.kind === 'env')
    return keyRingBox(
      'shared-key',
      () => source.keys,
      () => source.keys[0]!,
      'HOOKBENCH_SECRET_KEY',
    );
  const { path } = source;
  let current: Buffer | null = null;
  function* ring(): Generator<Buffer> {
    current ??= readKey(path);
    if (current) yield current;
    // Read only when the key file did not open it: a rotation may have begun since this process started.
    const next = readKey(path + NEXT_SUFFIX);
    if (next) yield next;
  }
  return keyRingBox('key-file', ring, () => (current ??= readKey(path) ?? createKey(path)), path);
}
