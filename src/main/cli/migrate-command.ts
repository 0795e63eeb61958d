import { resolve } from 'node:path';
import { isPostgresUrl } from '../engine/db/pg/open';
import { moveWorkspace, type MoveReport } from '../engine/move/move-workspace';
import { table, time, type Output } from './output';
import { UsageError } from './usage';

type Values = Record<string, string | string[] | boolean | undefined>;

const text = (values: Values, name: string) => {
  const value = values[name];
  return typeof value === 'string' && value ? value : undefined;
};

function describe(report: MoveReport): string {
  const rows = report.tables.map((t) => ({ table: t.table, 'data dir': t.source, 'left here': t.skipped || '', server: t.target, check: t.ok ? 'ok' : 'MISMATCH' }));
  const lines = [
    report.committed
      ? `Moved ${report.from} into ${report.to} (the data dir as it was at ${time(report.snapshotAt)}).`
      : `The copy did not check out, so nothing was committed: ${report.to} is as it was.`,
    '',
    table(rows, ['table', 'data dir', 'left here', 'server', 'check']),
    '',
    table(
      report.digests.map((d) => ({ bytes: `${d.table}.${d.column}`, 'data dir sha256': `${d.source.slice(0, 16)}…`, 'server sha256': `${d.target.slice(0, 16)}…`, check: d.ok ? 'ok' : 'MISMATCH' })),
      ['bytes', 'data dir sha256', 'server sha256', 'check'],
    ),
    '',
    `Secrets: ${report.resealed} sealed value(s) opened with the data dir's key and sealed with ${report.keyFrom}.`,
  ];
  if (report.claimsReset) lines.push(`Sends a process had claimed when it stopped: ${report.claimsReset}, queued again on the server.`);
  if (report.settingsLeft.length) lines.push('Settings left on this machine:', ...report.settingsLeft.map((s) => `  ${s.key}: ${s.reason}`));
  if (report.sourceOpenBy.length) {
    lines.push(`Process(es) ${report.sourceOpenBy.join(', ')} had the data dir open: what they stored after the snapshot is not on the server. Stop them before pointing senders at the server.`);
  }
  const key = report.keyFrom === 'HOOKBENCH_SECRET_KEY' ? 'HOOKBENCH_SECRET_KEY' : `HOOKBENCH_SECRET_KEY_FILE=${report.keyFrom}`;
  if (report.committed) lines.push('', `Start the server's instances with the same key (${key}): the moved secrets open with it only.`);
  return lines.join('\n');
}

/** Progress a line at a time on stderr: each table as it starts and finishes, and a long one every second. */
function progressPrinter() {
  let current = '';
  let last = 0;
  return (name: string, done: number, total: number) => {
    const now = Date.now();
    if (total === 0 || (name === current && done < total && now - last < 1000)) return;
    current = name;
    last = now;
    process.stderr.write(`${name}: ${done} of ${total} row(s) copied…\n`);
  };
}

/**
 * hookbench migrate --from DATA_DIR --to postgres://… [--replace] [--key-file FILE]: runs on the
 * data dir's files and the server's database directly; no engine is started on either.
 */
export async function migrateCommand(positionals: string[], values: Values, out: Output): Promise<number> {
  const from = text(values, 'from');
  const to = text(values, 'to');
  if (positionals.length) throw new UsageError(`migrate takes no words after it; got "${positionals.join(' ')}".`);
  if (!from || !to) throw new UsageError('migrate needs --from DATA_DIR and --to postgres://USER@HOST/DATABASE.');
  if (!isPostgresUrl(to)) throw new UsageError(`--to must be a PostgreSQL URL (postgres://…); got "${to}".`);
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('Stopping: the server is left as it was…\n');
    stop.abort(new Error('Stopped before the copy was committed; nothing was written to the server.'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await moveWorkspace({
      from: resolve(from),
      to,
      replace: values.replace === true,
      keyFile: text(values, 'key-file'),
      signal: stop.signal,
      progress: progressPrinter(),
    });
    out.data(report, () => describe(report));
    return report.committed ? 0 : 1;
  } catch (error) {
    if (stop.signal.aborted) throw stop.signal.reason as Error;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
