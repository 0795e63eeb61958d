import { useState } from 'react';
import { ErrorNote } from '../../components/bits';
import { Field } from '../../components/Field';
import { when } from '../../lib/format';
import { size } from '../../../../shared/size';
import { useStorage } from '../../stores/storage-store';

/** The last backup, and a new one taken while the engine keeps receiving; on a team server, how its database is backed up instead. */
export function BackupSection() {
  const status = useStorage((s) => s.status);
  const backingUp = useStorage((s) => s.backingUp);
  const result = useStorage((s) => s.lastResult);
  const error = useStorage((s) => s.error);
  const backup = useStorage((s) => s.backup);
  const [out, setOut] = useState('');
  const last = status?.lastBackup ?? null;
  const team = status?.teamDatabase;
  if (team) {
    return (
      <section className="card" aria-label="Backup">
        <div className="section-head">
          <h3>Backup</h3>
        </div>
        <p data-testid="storage-team-backup">{team.backup}</p>
      </section>
    );
  }
  return (
    <section className="card" aria-label="Backup">
      <div className="section-head">
        <h3>Backup</h3>
      </div>
      <p data-testid="storage-last-backup">
        {last ? (
          <>
            Last backup <code>{last.file}</code>, taken {when(last.takenAt)}.
          </>
        ) : (
          <span className="muted">No backup recorded yet. A backup is a consistent copy taken while deliveries keep arriving; restore it with hookbench restore FILE.</span>
        )}
      </p>
      <form
        className="inline-form backup-form"
        aria-label="Back up now"
        onSubmit={(e) => {
          e.preventDefault();
          if (out.trim()) void backup(out.trim());
        }}
      >
        <Field label="Backup file (absolute path, must not exist)">
          {(id) => <input id={id} className="mono" value={out} placeholder="/home/me/hookbench-2026-12-05.sqlite" spellCheck={false} onChange={(e) => setOut(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={backingUp || !out.trim()}>
          {backingUp ? 'Backing up…' : 'Back up now'}
        </button>
      </form>
      <ErrorNote>{error}</ErrorNote>
      {result ? (
        <ul className="notes" aria-label="Backup written">
          <li>
            Written to <code>{result.file}</code>: {size(result.bytes)}, {result.deliveries} deliveries.
          </li>
          <li>
            {result.keyFile
              ? `Secrets stay sealed: keep ${result.keyFile.name} from ${result.dataDir} (fingerprint sha256:${result.keyFile.sha256.slice(0, 16)}) with it.`
              : result.secretStore === 'key-file'
                ? 'No secret is sealed yet: no key file is needed.'
                : "Secrets are sealed by this machine's keychain: they open here only."}
          </li>
        </ul>
      ) : null}
    </section>
  );
}
