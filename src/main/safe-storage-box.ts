import { safeStorage } from 'electron';
import { createKeyFileBox } from './engine/secrets/key-file-box';
import type { SecretBox } from './engine/secrets/secret-box';

const PREFIX = 'safestorage1:';

/**
 * Desktop secret storage: the OS keychain through Electron's safeStorage. Where no
 * keychain answers (a bare Linux session), the headless key file keeps secrets sealed.
 */
export function createSafeStorageBox(dataDir: string): SecretBox {
  if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    console.warn('No OS keychain is available; sealing secrets with the key file in the data dir instead.');
    return createKeyFileBox(dataDir);
  }
  return {
    kind: 'safe-storage',
    seal: (plain) => PREFIX + safeStorage.encryptString(plain).toString('base64'),
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error('Secret was sealed by a different secret store.');
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    },
  };
}
