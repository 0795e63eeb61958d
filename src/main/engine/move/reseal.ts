import { SEALED_PREFIX } from '../../../shared/secret-headers';
import { ForeignSecretError, SecretKeyError } from '../secrets/errors';
import { keyRingBox, sealWith } from '../secrets/key-file-box';
import type { SecretBox } from '../secrets/secret-box';
import { clearCredentialsSealed } from '../secrets/stored-headers';
import { MoveRefused } from './errors';
import type { MoveSource } from './source';
import type { MovedTable } from './tables';

/** Header pairs stored as JSON carry a sealed value as this escaped text. */
const SEALED_IN_JSON = JSON.stringify(SEALED_PREFIX).slice(1, -1);
/** Many stored requests carry the same sealed token: re-seal each distinct value once. */
const REMEMBERED = 1024;

export interface Resealer {
  /** A `*_sealed` column's value, sealed again with the server's key. */
  value(sealed: string): string;
  /**
   * A header list's text (of `table.column`): its sealed values sealed again, and credentials an
   * older version left in clear sealed (or dropped from a relay's) as the desktop's background
   * sealing does; anything else is returned as it is.
   */
  text(value: string, table: string, column: string): string;
  readonly count: number;
}

export function createResealer(source: SecretBox, target: Buffer): Resealer {
  const done = new Map<string, string>();
  let count = 0;
  const value = (sealed: string): string => {
    let again = done.get(sealed);
    if (again === undefined) {
      again = sealWith(target, source.open(sealed));
      if (done.size >= REMEMBERED) done.delete(done.keys().next().value!);
      done.set(sealed, again);
    }
    count++;
    return again;
  };
  // Credentials an older version left in clear are sealed with the server's key, as every instance opens them.
  const targetBox = keyRingBox(
    'shared-key',
    () => [target],
    () => target,
    'HOOKBENCH_SECRET_KEY',
  );
  const resealPairs = (text: string): string => {
    if (!text.includes(SEALED_IN_JSON)) return text;
    let pairs: unknown;
    try {
      pairs = JSON.parse(text);
    } catch {
      return text;
    }
    if (!Array.isArray(pairs)) return text;
    let changed = false;
    const next = pairs.map((pair: unknown) => {
      if (!Array.isArray(pair) || typeof pair[1] !== 'string' || !pair[1].startsWith(SEALED_PREFIX)) return pair;
      changed = true;
      return [pair[0], SEALED_PREFIX + value(pair[1].slice(SEALED_PREFIX.length))];
    });
    return changed ? JSON.stringify(next) : text;
  };
  return {
    value,
    text(text, table, column) {
      const resealed = resealPairs(text);
      try {
        return clearCredentialsSealed(resealed, targetBox, table, column) ?? resealed;
      } catch {
        // Not a header list this version can read: carried as it is.
        return resealed;
      }
    },
    get count() {
      return count;
    },
  };
}

/**
 * Opens every stored secret before anything is written: a missing or wrong key file, or secrets
 * only the desktop app's OS keychain opens, stop the move with the file named.
 */
export function checkSecretsOpen(source: MoveSource, tables: MovedTable[], box: SecretBox, keyFile: string, dataDir: string): void {
  const unopened = new Map<string, number>();
  let foreign = 0;
  let problem: SecretKeyError | null = null;
  for (const table of tables) {
    for (const column of table.columns.filter((c) => c.sealed === 'value')) {
      for (const sealed of source.values(table, column.name)) {
        try {
          box.open(sealed);
        } catch (error) {
          if (error instanceof ForeignSecretError) foreign++;
          else if (error instanceof SecretKeyError) {
            problem ??= error;
            unopened.set(table.name, (unopened.get(table.name) ?? 0) + 1);
          } else throw error;
        }
      }
    }
  }
  if (foreign) {
    throw new MoveRefused(
      `${foreign} secret(s) in ${dataDir} are sealed by the desktop app's OS keychain, which only the app on this machine opens. ` +
        'This command runs without the keychain and cannot re-seal them for the server; nothing was written.',
    );
  }
  if (problem) {
    const what = [...unopened].map(([table, n]) => `${n} in ${table}`).join(', ');
    throw new MoveRefused(`${problem.message} Secrets that do not open: ${what}. Nothing was written to the server. Restore ${keyFile} from a backup of ${dataDir} and run this again.`);
  }
}
