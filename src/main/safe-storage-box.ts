import { safeStorage } from 'electron';
import type { SecretBox } from './engine/secrets/secret-box';

const PREFIX = 'safestorage1:';

/** Desktop secret storage: the OS keychain through Electron's safeStorage. */
export function createSafeStorageBox(): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new Error('The OS keychain is not available, so secrets cannot be stored safely.');
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
