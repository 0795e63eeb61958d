import type { SecretBox } from './secret-box';

const CACHE_SIZE = 1024;

/**
 * Opening a sealed secret costs a cipher run (or a keychain call), and the receiver and the
 * dispatcher open the same few secrets for every request; each is opened once and kept.
 * The plaintext stays in this process's memory, where it is used anyway.
 */
export function withOpenedCache(box: SecretBox): SecretBox {
  const opened = new Map<string, string>();
  return {
    kind: box.kind,
    seal: (plain) => box.seal(plain),
    open(sealed) {
      let plain = opened.get(sealed);
      if (plain === undefined) {
        plain = box.open(sealed);
        if (opened.size >= CACHE_SIZE) opened.delete(opened.keys().next().value!);
        opened.set(sealed, plain);
      }
      return plain;
    },
  };
}
