import { resolve } from 'node:path';
import { size as bytes } from '../../shared/size';
import type { BackupResult, RestoreResult, StorageStatus } from '../../shared/storage-types';
import { restoreBackup } from '../engine/storage/restore';
import { describeLimits } from '../../shared/retention-text';
import { shortFingerprint } from '../engine/storage/key-requirement';
import type { Command } from './context';
import { time, type Output } from './output';
import { UsageError } from './usage';


function keyLine(result: Pick<BackupResult, 'secretStore' | 'keyFile' | 'dataDir'>): string {
  if (result.secretStore !== 'key-file') return "Secrets: sealed by the desktop app's OS keychain; they open on this machine only.";
  if (!result.keyFile) return 'Secrets: none sealed yet; no key file is needed.';
  return `Secrets stay sealed: keep ${result.keyFile.name} from ${result.dataDir} (fingerprint ${shortFingerprint(result.keyFile.sha256)}) with this backup; it is not in it.`;
}

const describeBackup = (b: BackupResult) =>
  [`Backup written to ${b.file} (${bytes(b.bytes)}, ${b.deliveries} deliveries, schema ${b.schema.index}, taken ${time(b.takenAt)}).`, keyLine(b)].join('\n');

const describeRestore = (r: RestoreResult) =>
  [
    `Restored ${r.file}${r.takenAt ? ` (taken ${time(r.takenAt)})` : ''} into ${r.dataDir}` +
      (r.schemaAfter !== r.schemaBefore ? `; its schema was migrated from ${r.schemaBefore} to ${r.schemaAfter}.` : '.'),
    ...(r.key === 'present' ? ['Its key file is in place and matches.'] : []),
    ...r.advice,
    `Start it with: hookbench serve --data-dir ${r.dataDir}`,
  ].join('\n');

function counts(map: Record<string, number>): string {
  const parts = Object.entries(map).map(([k, n]) => `${k} ${n}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function describeStatus(s: StorageStatus): string {
  const team = s.teamDatabase;
  const lines = [
    ...(team ? [] : [`Data dir   ${s.dataDir}`]),
    `Database   ${bytes(s.files.databaseBytes)}  ${s.files.database}`,
    ...(team ? [] : [`WAL        ${bytes(s.files.walBytes)}`]),
    `Bodies     deliveries ${bytes(s.bodyBytes.deliveries)}, messages ${bytes(s.bodyBytes.messages)}, responses ${bytes(s.bodyBytes.attempts)}, fixtures ${bytes(s.bodyBytes.fixtures)}`,
    `Deliveries ${s.counts.deliveriesTotal}${counts(s.counts.deliveries)}`,
    `Releases   ${s.counts.releases}`,
    `Messages   ${s.counts.messagesTotal}${counts(s.counts.messages)}`,
    `Attempts   ${s.counts.attempts}`,
    `Fixtures   ${s.counts.fixtures}`,
    `Activity   ${s.counts.activity}`,
    `Oldest     delivery ${time(s.oldest.delivery)}, activity ${time(s.oldest.activity)}`,
    s.volume ? `Free       ${bytes(s.volume.freeBytes)} of ${bytes(s.volume.totalBytes)}` : `Free       unknown (${team ? "the database server's volume is not visible from here" : 'the volume could not be asked'})`,
    team ? `Backup     ${team.backup}` : s.lastBackup ? `Backup     ${s.lastBackup.file}, taken ${time(s.lastBackup.takenAt)}` : 'Backup     none recorded (hookbench backup --out FILE)',
  ];
  if (s.retention) lines.push(`Retention  ${describeLimits(s.retention.global)}${s.retention.overrides.length ? ` (${s.retention.overrides.length} override${s.retention.overrides.length === 1 ? '' : 's'}: hookbench retention show)` : ''}`);
  if (s.nextPrune) {
    const n = s.nextPrune.total;
    lines.push(`Next prune ${n.rows || n.attempts ? `${n.rows} deliveries and messages (${bytes(n.bytes)} of bodies)${n.attempts ? `, ${n.attempts} attempt logs` : ''}` : 'nothing'}${n.pinned ? `; ${n.pinned} past the policy kept as pinned` : ''}`);
  }
  if (s.volume?.warning) lines.push('', `Warning: ${s.volume.warning}`);
  if (s.disk?.refusing) lines.push('', `The receiver is answering 503 to deliveries: ${s.disk.reason}.`);
  return lines.join('\n');
}

export const backupCommand: Command = async (ctx) => {
  const out = ctx.options.out;
  if (typeof out !== 'string' || !out) throw new UsageError('backup needs --out FILE.');
  const result = await ctx.call('storage.backup', { out: resolve(out) });
  ctx.out.data(result, () => describeBackup(result));
};

export const statusCommand: Command = async (ctx) => {
  const status = await ctx.call('storage.status', {});
  ctx.out.data(status, () => describeStatus(status));
};

/** Runs without opening the target data dir as an engine would: it must stay empty until the copy is in. */
export function restoreCommand(positionals: string[], dataDir: string, out: Output): void {
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError('restore takes one backup FILE (and --data-dir DIR, an empty directory).');
  const result = restoreBackup(file, dataDir);
  out.data(result, () => describeRestore(result));
}
