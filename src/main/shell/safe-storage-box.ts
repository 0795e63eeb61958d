import { safeStorage } from 'electron';
import { createKeyFileBox } from '../engine/secrets/key-file-box';
import type { SecretBox } from '../engine/secrets/secret-box';

const PREFIX = 'safestorage1:';

/**
 * Desktop secret storage: the OS keychain through Electron's safeStorage. Where no
 * keychain answers (a bare Linux session), the headless key file keeps secrets sealed.
 * Call after app 'ready' (safeStorage cannot tell before).
 *
 * A data dir first used headless (`hookbench serve`, the CLI) holds key-file secrets;
 * those still open here, through the key file beside them; new secrets go to the keychain.
 */
export function createSafeStorageBox(dataDir: string): SecretBox {
  if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    console.warn('No OS keychain is available; sealing secrets with the key file in the data dir instead.');
    return createKeyFileBox(dataDir);
  }
  let keyFileBox: SecretBox | null = null;
  return {
    kind: 'safe-storage',
    seal: (plain) => PREFIX + safeStorage.encryptString(plain).toString('base64'),
    open(sealed) {
      if (sealed.startsWith(PREFIX)) return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
      keyFileBox ??= createKeyFileBox(dataDir);
      return keyFileBox.open(sealed);
    },
  };
}
