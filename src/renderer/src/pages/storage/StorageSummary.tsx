import type { StorageStatus } from '../../../../shared/types';
import { num, when } from '../../lib/format';
import { size } from '../../../../shared/size';

const byKind = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([kind, n]) => `${kind} ${num(n)}`)
    .join(', ');

/** What the data dir (or a team server's database) holds and where it lives: sizes, counts by kind, the oldest rows and the disk. */
export function StorageSummary({ status }: { status: StorageStatus }) {
  const { files, bodyBytes, counts, oldest, volume } = status;
  const team = status.teamDatabase;
  return (
    <>
      {volume?.warning ? (
        <p className="reason warn-note" role="alert" data-testid="storage-warning">
          {volume.warning}
        </p>
      ) : null}
      <dl className="kv storage-kv" aria-label="Storage">
        {team ? (
          <>
            <dt>Database</dt>
            <dd data-testid="storage-database">
              {size(files.databaseBytes)} <span className="muted">in the team&apos;s PostgreSQL database</span> <code className="mono">{team.location}</code>
            </dd>
          </>
        ) : (
          <>
            <dt>Data dir</dt>
            <dd className="mono">{status.dataDir}</dd>
            <dt>Database</dt>
            <dd data-testid="storage-database">
              {size(files.databaseBytes)} <span className="muted">(write-ahead log {size(files.walBytes)})</span>
            </dd>
          </>
        )}
        <dt>Bodies</dt>
        <dd>
          deliveries {size(bodyBytes.deliveries)}, messages {size(bodyBytes.messages)}, responses {size(bodyBytes.attempts)}, fixtures {size(bodyBytes.fixtures)}
        </dd>
        <dt>Deliveries</dt>
        <dd data-testid="storage-deliveries">
          {num(counts.deliveriesTotal)}
          {counts.deliveriesTotal ? <span className="muted"> ({byKind(counts.deliveries)})</span> : null}
        </dd>
        <dt>Releases</dt>
        <dd>{num(counts.releases)}</dd>
        <dt>Messages</dt>
        <dd>
          {num(counts.messagesTotal)}
          {counts.messagesTotal ? <span className="muted"> ({byKind(counts.messages)})</span> : null}
        </dd>
        <dt>Attempts</dt>
        <dd>{num(counts.attempts)}</dd>
        <dt>Fixtures</dt>
        <dd>{num(counts.fixtures)}</dd>
        <dt>Activity</dt>
        <dd>{num(counts.activity)}</dd>
        <dt>Oldest</dt>
        <dd>
          delivery {when(oldest.delivery)}, activity {when(oldest.activity)}
        </dd>
        <dt>Free space</dt>
        <dd data-testid="storage-free">{volume ? `${size(volume.freeBytes)} of ${size(volume.totalBytes)}` : team ? "the database server's (not visible from here)" : 'unknown (the volume could not be asked)'}</dd>
      </dl>
    </>
  );
}
