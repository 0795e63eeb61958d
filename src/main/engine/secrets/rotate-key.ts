import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { SEALED_PREFIX } from '../../../shared/secret-headers';
import { durableRename } from '../storage/durable-rename';
import { otherOpeners } from '../storage/run-markers';
import { SecretKeyError } from './errors';
import { openWith, readKey, sealedWithKeyFile, sealWith } from './key-file-box';
import { NEXT_SUFFIX, PREVIOUS_SUFFIX, type KeySource } from './key-source';
import type { ResealedRow, RotationStore, RowCursor } from './rotate-statements';
import { sealedColumns, type SealedColumn } from './sealed-columns';

/** Rows re-sealed per transaction: short, so a receiver beside it never waits long. */
const SLICE = 200;

export interface RotationResult {
  /** The key file now in use, or HOOKBENCH_SECRET_KEY. */
  key: string;
  resealed: number;
  /** Where the replaced key file was kept (older backups need it); null with a shared key. */
  previousKey: string | null;
}

export class RotationRefused extends Error {}

/** The activity feed's entry for a finished rotation (both stores). */
export const rotationActivity = (rotated: RotationResult) => ({
  kind: 'secrets_reset' as const,
  message: `Secret key rotated: ${rotated.resealed} sealed value(s) re-sealed with the new key (${rotated.key}).`,
});

function writeKeyDurably(path: string, key: Buffer): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, key, { mode: 0o600 });
  durableRename(partial, path);
}

/** The value sealed with `target`, or null when it already is (or is not ours to re-seal). */
function reseal(sealed: string, target: Buffer, ring: Buffer[]): string | null {
  if (!sealedWithKeyFile(sealed) || openWith(target, sealed) !== null) return null;
  for (const key of ring) {
    const plain = openWith(key, sealed);
    if (plain !== null) return sealWith(target, plain);
  }
  throw new SecretKeyError('A sealed value opens with none of the keys given; restore the key that sealed it before rotating.', 'rotation');
}

function resealColumn(value: string, column: SealedColumn, target: Buffer, ring: Buffer[]): string | null {
  if (column.shape === 'value') return reseal(value, target, ring);
  const pairs = JSON.parse(value) as [string, string][];
  let changed = false;
  const next = pairs.map(([name, v]): [string, string] => {
    if (!v.startsWith(SEALED_PREFIX)) return [name, v];
    const again = reseal(v.slice(SEALED_PREFIX.length), target, ring);
    if (again === null) return [name, v];
    changed = true;
    return [name, SEALED_PREFIX + again];
  });
  return changed ? JSON.stringify(next) : null;
}

/**
 * Every sealed value the store holds, sealed again with `target` (opened with any key of `ring`),
 * a slice per transaction; returns how many changed. Each value is at all times sealed with the
 * old key or the new one, so a rotation stopped midway leaves everything openable.
 */
export async function resealAll(store: RotationStore, target: Buffer, ring: Buffer[], progress: (done: number, total: number) => void = () => undefined): Promise<number> {
  const columns = sealedColumns();
  let total = 0;
  for (const column of columns) total += await store.count(column);
  let done = 0;
  let resealed = 0;
  for (const column of columns) {
    let after: RowCursor | null = null;
    for (;;) {
      const rows = await store.window(column, after, SLICE);
      if (rows.length === 0) break;
      const changed: ResealedRow[] = [];
      for (const row of rows) {
        const next = resealColumn(row.value, column, target, ring);
        if (next !== null) changed.push({ key: row.key, value: next, was: row.value });
      }
      if (changed.length) await store.write(column, changed);
      resealed += changed.length;
      after = rows.at(-1)!.cursor;
      done += rows.length;
      progress(done, total);
      await yieldToEvents();
    }
  }
  return resealed;
}

/** A shared key's rotation (HOOKBENCH_SECRET_KEY=NEW,OLD): the key to seal with, and every key that may open. */
export function sharedKeyRotation(source: KeySource): { target: Buffer; ring: Buffer[] } {
  if (source.kind !== 'env' || source.keys.length < 2) {
    throw new RotationRefused('To rotate a shared key, list the new key first and the old one after it: HOOKBENCH_SECRET_KEY=NEW,OLD (on every instance), then run this again.');
  }
  return { target: source.keys[0]!, ring: source.keys };
}

/**
 * Re-seals every sealed value with a new key, a slice per transaction. Each value is at all
 * times sealed with the old key or the new one, and both open it until the end, so a rotation
 * killed midway leaves everything openable and running it again finishes the job.
 * - Key file: the new key waits in secret.key.next (every Hookbench opens with it too); once
 *   every value is re-sealed it replaces secret.key, the old key kept as secret.key.previous.
 *   Refused while another process has the data dir open: it would keep sealing with the old key.
 * - Shared key (HOOKBENCH_SECRET_KEY=NEW,OLD on every instance): re-seals with the first key;
 *   then OLD can be dropped from the list.
 */
export async function rotateKey(store: RotationStore, dataDir: string, source: KeySource, progress: (done: number, total: number) => void = () => undefined): Promise<RotationResult> {
  let target: Buffer;
  let ring: Buffer[];
  if (source.kind === 'env') {
    ({ target, ring } = sharedKeyRotation(source));
  } else {
    const others = otherOpeners(dataDir);
    if (others.length) throw new RotationRefused(`Other Hookbench processes have ${dataDir} open (pid ${others.join(', ')}): stop them first, since they would go on sealing with the old key.`);
    const current = readKey(source.path);
    if (!current) throw new RotationRefused(`There is no key file at ${source.path} to rotate.`);
    const nextPath = source.path + NEXT_SUFFIX;
    if (!existsSync(nextPath)) writeKeyDurably(nextPath, randomBytes(32));
    target = readKey(nextPath)!;
    ring = [current, target];
  }

  const resealed = await resealAll(store, target, ring, progress);
  if (source.kind === 'env') return { key: 'HOOKBENCH_SECRET_KEY', resealed, previousKey: null };
  const previous = source.path + PREVIOUS_SUFFIX;
  writeKeyDurably(previous, ring[0]!);
  durableRename(source.path + NEXT_SUFFIX, source.path);
  return { key: source.path, resealed, previousKey: previous };
}
